"""Changing the project's data: one writer at a time, each change all or nothing.

A writer (`add`, `link apply`) holds an exclusive lock on `data/` from before it
reads the graph until its files are in place, so it validates against what the
previous writer left and two writers never interleave.  The lock is an
`flock` on the `data/` folder itself, so no lock file is left about; the
kernel releases it when the process dies, even by kill -9.

A change is committed through a journal.  The new files are first written
beside their targets as hidden temporary files and flushed to disk; then the
journal `data/.ipckg-journal.json`, which lists them, is put in place by one
rename: that rename is the commit.  The files are then renamed into place and
the journal removed.  While a journal exists readers leave out the targets it
lists (`pending_targets`), so nobody sees half a change; the next writer, or
the next command that finds the lock free, finishes a journal a crash left
(`recover`) and removes temporary files nobody will commit.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from .errors import InputError, UsageError

JOURNAL_FILE = ".ipckg-journal.json"
STAGED_SUFFIX = ".ipckg-staged"
WAIT_SECONDS = 120.0


@contextmanager
def writer_lock(data_dir: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the project's writer lock, waiting up to `wait` seconds for another writer to finish."""
    handle = _open_lock(data_dir)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UsageError(
                        f"Another ipckg command has held the writer lock on {data_dir} for over {wait:g} s. "
                        "Wait for it to finish and try again.") from None
                time.sleep(0.05)
        recover(data_dir)
        yield
    finally:
        os.close(handle)  # closing the folder releases the lock


def recover_if_idle(data_dir: Path) -> None:
    """Finish a change a crashed writer committed, if no writer is at work now; readers call this."""
    if not (data_dir / JOURNAL_FILE).exists() and not _staged_files(data_dir):
        return
    handle = _open_lock(data_dir)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        recover(data_dir)
    except BlockingIOError:
        pass  # a writer is at work; it finishes its own change
    except (InputError, OSError):
        pass  # a read-only project, say: readers still leave the journal's targets out
    finally:
        os.close(handle)


def commit(data_dir: Path, contents: Mapping[Path, bytes]) -> list[Path]:
    """Write every file of one change, or none, even if the process is killed; call under the lock."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_write_hidden(target, data), target))
        entries = [{"staged": str(s.relative_to(data_dir)), "target": str(t.relative_to(data_dir))}
                   for s, t in staged]
        journal = _write_hidden(data_dir / JOURNAL_FILE, json.dumps({"files": entries}, indent=1).encode("utf-8"))
        staged.append((journal, data_dir / JOURNAL_FILE))
        os.replace(journal, data_dir / JOURNAL_FILE)  # the commit point
        _sync_folder(data_dir)
    except BaseException as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _os_error(error, data_dir) from None
        raise
    try:
        _finish(data_dir)
    except OSError as error:
        raise InputError(f"The change to {data_dir} was committed but not completed ({error.strerror}: "
                         f"{error.filename}); the next ipckg command completes it once the cause is fixed.") from None
    return [target for _, target in staged[:-1]]


def recover(data_dir: Path) -> None:
    """Finish the journal's renames (the change was committed), then drop staged files never committed."""
    _finish(data_dir)
    for leftover in _staged_files(data_dir):
        leftover.unlink(missing_ok=True)


def pending_targets(data_dir: Path) -> set[Path]:
    """Files of a committed change not yet finished: readers leave them out until it is."""
    return {data_dir / entry["target"] for entry in _journal_entries(data_dir)}


def replace_file(target: Path, data: bytes) -> None:
    """Write one file by rename, so readers see the old content or the new, never a part."""
    temporary = None
    try:
        temporary = _write_hidden(target, data)
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        error.filename = str(target)  # not the hidden temporary file beside it
        raise _os_error(error, target) from None


def _journal_entries(data_dir: Path) -> list[dict]:
    journal = data_dir / JOURNAL_FILE
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
        return [{"staged": str(e["staged"]), "target": str(e["target"])} for e in entries]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{journal} is damaged ({error}). It lists the files of an interrupted change; "
                         "remove it to discard that change.") from None


def _finish(data_dir: Path) -> None:
    journal = data_dir / JOURNAL_FILE
    entries = _journal_entries(data_dir)
    if not entries and not journal.exists():
        return
    for entry in entries:
        staged = data_dir / entry["staged"]
        if staged.exists():
            os.replace(staged, data_dir / entry["target"])
    _sync_folder(data_dir)
    journal.unlink()
    _sync_folder(data_dir)


def _write_hidden(target: Path, data: bytes) -> Path:
    """A flushed temporary file beside `target`, named so no reader takes it for graph data."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=STAGED_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, 0o666 & ~_umask())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _staged_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob(f".*{STAGED_SUFFIX}") if p.is_file()] if data_dir.is_dir() else []


def _open_lock(data_dir: Path) -> int:
    try:
        return os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise _os_error(error, data_dir) from None


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _os_error(error: OSError, where: Path) -> InputError:
    what = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
            errno.EACCES: "permission denied", errno.EPERM: "permission denied"}.get(error.errno, error.strerror)
    path = error.filename or where
    return InputError(f"Cannot write {path}: {what}. Nothing was changed; free space or fix the permissions "
                      "and run the command again.")
