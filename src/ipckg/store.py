"""The embedded store: an Oxigraph database kept on disk next to the data.

The Turtle files under ontology/ and data/ are the source of truth; the
store is derived from them, rebuilt whenever one of them changes, and then
reopened read-only by each command instead of re-parsing.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .errors import EndpointError, InputError
from .project import Project
from .sparql import refuse_update, service_variables, with_values
from .transaction import recover_if_idle

log = logging.getLogger(__name__)

FINGERPRINT_FILE = "ipckg-fingerprint"
CURRENT_VIEW_RULE = "current-view.ru"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Progress = Callable[[str, int, int], None]
"""Called as progress(what, done, total) during long operations."""


def fingerprint(project: Project) -> str:
    """Changes whenever a graph file is added, removed or modified, or ipckg is upgraded."""
    digest = hashlib.sha256(__version__.encode())
    for path in [*project.graph_files(), project.ontology_dir / CURRENT_VIEW_RULE]:
        if path.exists():
            stat = path.stat()
            digest.update(f"{path.relative_to(project.root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def current_view_rule(project: Project) -> str:
    """The SPARQL update that derives the current view from the claims."""
    return (project.ontology_dir / CURRENT_VIEW_RULE).read_text(encoding="utf-8")


class GraphStore:
    """A read-only handle on the project's graph for queries."""

    def __init__(self, store: ox.Store, path: Path | None = None, in_use: int | None = None):
        self._store = store
        self.path = path
        self._in_use = in_use  # a shared lock on the folder, so no build removes the store while it is open

    def __del__(self):
        if self._in_use is not None:
            os.close(self._in_use)
            self._in_use = None

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None):
        """Run a SPARQL query with parameters bound as RDF terms (see `sparql.with_values`).

        Endpoints of SERVICE clauses are bound by Oxigraph's substitutions
        instead; a failing remote service is reported as an EndpointError.
        """
        refuse_update(sparql)
        bindings = dict(bindings or {})
        services = {name: bindings.pop(name) for name in service_variables(sparql) & set(bindings)}
        try:
            result = self._store.query(with_values(sparql, bindings), prefixes=dict(prefixes) if prefixes else None,
                                       use_default_graph_as_union=True,  # asserted triples and the view
                                       substitutions={ox.Variable(n): t for n, t in services.items()} or None)
            return _fetched(result) if _SERVICE.search(sparql) else result
        except SyntaxError as error:
            raise InputError(f"The SPARQL query is malformed: {_brief(str(error))}") from None
        except OSError as error:
            where = ", ".join(t.value for t in services.values()) or "a SERVICE endpoint"
            raise EndpointError(f"The federated query could not reach {where}: {error}. Check the endpoint "
                                "URL and that the server is running.") from None
        except RuntimeError as error:
            if "Corruption" in str(error) and self.path is not None:
                (self.path / FINGERPRINT_FILE).unlink(missing_ok=True)  # so the next command rebuilds it
                raise InputError(f"The store cache {self.path} is damaged ({_brief(str(error), 120)}). It is "
                                 "rebuilt by the next command: run this one again.") from None
            raise InputError(f"The SPARQL query cannot run: {error}.") from None

    @property
    def database(self) -> ox.Store:
        """The Oxigraph store itself, for engines that run many queries on it (validation)."""
        return self._store

    def triples(self) -> Iterable[ox.Triple]:
        """Asserted triples and the view's, as one graph."""
        for quad in self._store:
            yield quad.triple

    def quads(self) -> Iterable[ox.Quad]:
        """The same with their graphs: the view in `namespaces.VIEW_GRAPH`."""
        return iter(self._store)

    def __len__(self) -> int:
        return len(self._store)


def open_store(project: Project, progress: Progress | None = None) -> GraphStore:
    """The project's store, built first if no store of the present files is in the cache.

    The cache is derived data and heals itself: each version of the files has
    its own store folder, built by one process at a time under a lock and
    published by a rename; a store that fails to open is rebuilt, with a
    warning on the "ipckg" logger; leftovers of killed builds, and stores of older files that no
    process has open, are removed.
    """
    recover_if_idle(project.data_dir)
    stamp = fingerprint(project)
    cache = _cache_folder(project)
    path = cache / f"{STORE_PREFIX}{stamp[:16]}"
    store = _open_published(path, stamp)
    if not isinstance(store, GraphStore):
        with _build_lock(cache):
            store = _open_published(path, stamp)  # another process may have built it meanwhile
            if not isinstance(store, GraphStore):
                if store is not None:
                    log.warning("The store cache %s was damaged (%s); rebuilding it.", path, store)
                shutil.rmtree(path, ignore_errors=True)
                build_store(project, path, stamp, progress)
                store = _open_published(path, stamp)
                if not isinstance(store, GraphStore):
                    raise InputError(f"The store just built in {path} cannot be opened ({store}). Delete the "
                                     "folder and run the command again.")
            _remove_leftovers(cache, keep=path)
    return store


def build_store(project: Project, path: Path, stamp: str, progress: Progress | None = None) -> None:
    """Load every graph file into a fresh store, derive the current view, then publish it by a rename.

    The store is built beside its final place, so a killed build leaves a
    leftover (removed by the next build) and never a half store.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f"{path.name}{BUILDING}{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    try:
        store = ox.Store(str(building))
        load_files(store, project.graph_files(), project.root, progress)
        store.update(current_view_rule(project))
        store.flush()
        del store
        (building / FINGERPRINT_FILE).write_text(stamp)
        if path.exists():  # an older store of the same files (a benchmark rebuilding, say)
            shutil.rmtree(path)
        building.rename(path)
    except (OSError, RuntimeError) as error:
        raise InputError(f"Cannot build the store in {path.parent}: {_brief(str(error))}. Free space or fix the "
                         "permissions (or set IPCKG_CACHE to another folder) and run the command again.") from None
    finally:
        shutil.rmtree(building, ignore_errors=True)


STORE_PREFIX = "store-"
BUILDING = ".building-"
BUILD_LOCK = "build.lock"


def _open_published(path: Path, stamp: str) -> "GraphStore | str | None":
    """The store at `path` if it is complete and opens; else why not (None: not built yet)."""
    marker = path / FINGERPRINT_FILE
    if not path.is_dir():
        return None
    try:
        in_use = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None  # removed meanwhile
    try:
        fcntl.flock(in_use, fcntl.LOCK_SH)  # kept while the store is open: no one removes it under us
        if not marker.exists() or marker.read_text() != stamp:
            raise OSError("its build was not completed")
        return GraphStore(ox.Store.read_only(str(path)), path, in_use)
    except (OSError, RuntimeError) as error:
        os.close(in_use)
        return _brief(str(error), 120)


def _cache_folder(project: Project) -> Path:
    """The cache folder, made if need be; nothing is written to it until a store must be built."""
    cache = project.cache_dir
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unusable_cache(cache, error) from None
    return cache


def _unusable_cache(cache: Path, error: OSError) -> InputError:
    why = "it is a file, not a folder" if isinstance(error, (FileExistsError, NotADirectoryError)) else error.strerror
    return InputError(f"Cannot use {cache} as the store cache: {why or error}. Point IPCKG_CACHE at a writable "
                      "folder (the cache is derived data, safe to delete).")


class _build_lock:
    """One builder per cache folder; the kernel releases the lock if the builder dies."""

    def __init__(self, cache: Path):
        self.cache = cache

    def __enter__(self):
        try:
            self.handle = open(self.cache / BUILD_LOCK, "a+b")
        except OSError as error:
            raise _unusable_cache(self.cache, error) from None
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        self.handle.close()


def _remove_leftovers(cache: Path, keep: Path) -> None:
    """Under the build lock: every build folder is a dead one; older stores go once no process has them open."""
    for entry in cache.iterdir():
        if entry == keep or not entry.name.startswith("store") or not entry.is_dir():
            continue
        if BUILDING in entry.name:
            shutil.rmtree(entry, ignore_errors=True)
            continue
        handle = os.open(entry, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(entry, ignore_errors=True)
        except BlockingIOError:
            pass  # a reader still has it open
        finally:
            os.close(handle)


def load_files(store: ox.Store, files: list[Path], root: Path, progress: Progress | None = None) -> None:
    """Bulk-load Turtle files, naming the file and line of the first syntax error."""
    total = sum(f.stat().st_size for f in files)
    done = 0
    for file in files:
        try:
            store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)  # no base: relative IRIs are errors
        except SyntaxError as error:
            raise InputError(f"{_relative(file, root)} is not valid Turtle: {error}.") from None
        done += file.stat().st_size
        if progress:
            progress("Loading graph", done, total)


def memory_store(files: Iterable[Path], root: Path, rule: str) -> GraphStore:
    """An in-memory store of some files with their current view, for tests and comparisons."""
    store = ox.Store()
    load_files(store, list(files), root)
    store.update(rule)
    return GraphStore(store)


_SERVICE = re.compile(r"\bSERVICE\b", re.I)


def _fetched(result):
    """Evaluate a federated query now, so that a failing service is reported here, not mid-output."""
    if isinstance(result, ox.QuerySolutions):
        return ox.parse_query_results(result.serialize(format=ox.QueryResultsFormat.JSON),
                                      format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return result
    return list(result)


def _brief(message: str, limit: int = 160) -> str:
    """Oxigraph lists every token it expected; the position and the first few are enough."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit].rsplit(",", 1)[0] + ", …"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
