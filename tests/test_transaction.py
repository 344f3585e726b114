"""One writer at a time, every change all or nothing: with real processes, real kill -9 and real Ctrl-C."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ipckg.errors import InputError, UsageError
from ipckg.store import open_store
from ipckg.transaction import JOURNAL_FILE, STAGED_SUFFIX, commit, pending_targets, writer_lock

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "ignore"}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


def test_commit_writes_every_file_with_the_umask_and_leaves_nothing_else(tmp_path):
    old = os.umask(0o022)
    try:
        written = commit(tmp_path, {tmp_path / "added" / "a.ttl": b"a", tmp_path / "added" / "b.ttl": b"b"})
    finally:
        os.umask(old)
    assert written == [tmp_path / "added" / "a.ttl", tmp_path / "added" / "b.ttl"]
    assert [(p.read_bytes(), oct(p.stat().st_mode & 0o777)) for p in written] == [(b"a", "0o644"), (b"b", "0o644")]
    assert leftovers(tmp_path) == []


def test_a_failure_before_the_commit_point_leaves_nothing(tmp_path, monkeypatch):
    real_replace = os.replace

    def full_disk(source, target):
        if str(target).endswith(JOURNAL_FILE):
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(InputError, match=r"Cannot write .*\.ipckg-journal\.json: the disk is full\. Nothing was changed"):
        commit(tmp_path, {tmp_path / "a.ttl": b"a", tmp_path / "b.ttl": b"b"})
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


KILLED_COMMIT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from ipckg import transaction

    data, kill_at = Path(sys.argv[1]), int(sys.argv[2])
    renames, real_replace = [], os.replace

    def replace(source, target):
        renames.append(target)
        if len(renames) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(source, target)

    os.replace = replace
    transaction.commit(data, {data / "added" / "a.ttl": b"<urn:a> <urn:p> 1 .", data / "added" / "b.ttl": b"<urn:b> <urn:p> 2 ."})
""")


def killed_commit(project, kill_at: int) -> int:
    process = subprocess.run([sys.executable, "-c", KILLED_COMMIT, str(project.data_dir), str(kill_at)],
                             env=env(), capture_output=True, text=True, timeout=60)
    return process.returncode


def test_killed_after_the_commit_point_readers_see_none_until_it_is_finished_then_both(project_copy):
    # Renames: 1 the journal (the commit point), 2 a.ttl, 3 b.ttl. Killed before b.ttl is in place:
    assert killed_commit(project_copy, kill_at=3) == -signal.SIGKILL
    added = project_copy.data_dir / "added"
    assert (added / "a.ttl").exists() and not (added / "b.ttl").exists()
    assert pending_targets(project_copy.data_dir) == {added / "a.ttl", added / "b.ttl"}
    assert not {added / "a.ttl", added / "b.ttl"} & set(project_copy.data_files())
    # The next command finds the lock free and finishes the change before it reads the graph.
    store = open_store(project_copy)
    assert bool(store.query("ASK { <urn:a> <urn:p> 1 . <urn:b> <urn:p> 2 }"))
    assert {added / "a.ttl", added / "b.ttl"} <= set(project_copy.data_files())
    assert leftovers(project_copy.data_dir) == []


def test_killed_before_the_commit_point_nothing_was_added_and_the_debris_goes(project_copy):
    assert killed_commit(project_copy, kill_at=1) == -signal.SIGKILL  # the journal never lands
    added = project_copy.data_dir / "added"
    assert sorted(p.name for p in added.iterdir() if not p.name.startswith(".")) == []
    assert [name.endswith(STAGED_SUFFIX) for name in leftovers(project_copy.data_dir)] == [True, True, True]
    store = open_store(project_copy)
    assert not bool(store.query("ASK { <urn:a> ?p ?o }"))
    assert leftovers(project_copy.data_dir) == []


def test_a_writer_waits_for_the_lock_and_says_so_when_it_gives_up(project_copy):
    with writer_lock(project_copy.data_dir):
        started = time.monotonic()
        with pytest.raises(UsageError, match=r"Another ipckg command has held the writer lock on .*data for over 0.3 s"):
            with writer_lock(project_copy.data_dir, wait=0.3):
                pass
        assert time.monotonic() - started >= 0.3
    with writer_lock(project_copy.data_dir, wait=0.3):  # released on leaving
        pass


def start_add(project, *files):
    return subprocess.Popen([sys.executable, "-m", "ipckg", "add", *map(str, files)], cwd=project.root, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def both_blocked_then_released(project, *processes):
    """Hold the lock while the writers start, so they truly contend; then let them run one after the other."""
    time.sleep(2.0)
    assert [p.poll() for p in processes] == [None] * len(processes)
    assert not (project.data_dir / "added").exists()


def country(tmp_path, folder, name, code):
    file = tmp_path / folder / "country.ttl"
    file.parent.mkdir()
    file.write_text(f"""@prefix ipc: <https://w3id.org/ipckg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ipckg/country/{name}> a ipc:Country ; rdfs:label "{name.title()}"@en ;
    ipc:isoAlpha2 "{code}" ; ipc:isoAlpha3 "{code}X" .
""")
    return file


def test_two_adds_at_once_of_the_same_name_one_is_added_the_other_refused(project_copy, tmp_path):
    first, second = country(tmp_path, "one", "atlantis", "QA"), country(tmp_path, "two", "lemuria", "QB")
    with writer_lock(project_copy.data_dir):
        processes = [start_add(project_copy, first), start_add(project_copy, second)]
        both_blocked_then_released(project_copy, *processes)
    outcomes = sorted((p.wait(timeout=120), *p.communicate()) for p in processes)
    (ok, ok_out, _), (refused, _, refused_err) = outcomes
    assert (ok, refused) == (0, 2)
    assert ok_out.startswith("Added ")
    assert refused_err.startswith("Error: data/added/country.ttl already exists")
    kept = (project_copy.data_dir / "added" / "country.ttl").read_text()
    assert kept in (first.read_text(), second.read_text())
    assert leftovers(project_copy.data_dir) == []


def test_two_conflicting_adds_at_once_the_second_is_judged_against_the_first(project_copy, tmp_path):
    first, second = country(tmp_path, "one", "atlantis", "QQ"), country(tmp_path, "two", "lemuria", "QQ")
    second = second.rename(second.with_name("other-country.ttl"))
    with writer_lock(project_copy.data_dir):
        processes = [start_add(project_copy, first), start_add(project_copy, second)]
        both_blocked_then_released(project_copy, *processes)
    codes = sorted(p.wait(timeout=120) for p in processes)
    assert codes == [0, 1]
    rejected = next(p for p in processes if p.returncode == 1)
    assert "Rejected: nothing was added." in rejected.stderr.read()
    assert len(list((project_copy.data_dir / "added").glob("*.ttl"))) == 1
    check = subprocess.run([sys.executable, "-m", "ipckg", "check"], cwd=project_copy.root, env=env(),
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout


def test_ctrl_c_while_an_add_waits_exits_130_and_changes_nothing(project_copy):
    with writer_lock(project_copy.data_dir):
        process = start_add(project_copy, FIXTURES / "new-claim.ttl")
        time.sleep(2.0)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Interrupted." in stderr and "Traceback" not in stderr
    assert not (project_copy.data_dir / "added").exists()
    assert leftovers(project_copy.data_dir) == []
