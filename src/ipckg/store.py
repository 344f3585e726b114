"""The embedded store: an Oxigraph database kept on disk next to the data.

The Turtle files under ontology/ and data/ are the source of truth; the
store is derived from them, rebuilt whenever one of them changes, and then
reopened read-only by each command instead of re-parsing.
"""

from __future__ import annotations

import hashlib
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

    def __init__(self, store: ox.Store, path: Path | None = None):
        self._store = store
        self.path = path

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
                                       substitutions={ox.Variable(n): t for n, t in services.items()} or None)
            return _fetched(result) if _SERVICE.search(sparql) else result
        except SyntaxError as error:
            raise InputError(f"The SPARQL query is malformed: {_brief(str(error))}") from None
        except OSError as error:
            where = ", ".join(t.value for t in services.values()) or "a SERVICE endpoint"
            raise EndpointError(f"The federated query could not reach {where}: {error}. Check the endpoint "
                                "URL and that the server is running.") from None
        except RuntimeError as error:
            raise InputError(f"The SPARQL query cannot run: {error}.") from None

    @property
    def database(self) -> ox.Store:
        """The Oxigraph store itself, for engines that run many queries on it (validation)."""
        return self._store

    def triples(self) -> Iterable[ox.Triple]:
        for quad in self._store:
            yield quad.triple

    def __len__(self) -> int:
        return len(self._store)


def open_store(project: Project, progress: Progress | None = None) -> GraphStore:
    """The project's store, rebuilt first if any graph file changed since it was built."""
    recover_if_idle(project.data_dir)
    path = project.cache_dir / "store"
    expected = fingerprint(project)
    marker = path / FINGERPRINT_FILE
    if not (marker.exists() and marker.read_text() == expected):
        build_store(project, path, expected, progress)
    return GraphStore(ox.Store.read_only(str(path)), path)


def build_store(project: Project, path: Path, stamp: str, progress: Progress | None = None) -> None:
    """Load every graph file into a fresh store, derive the current view, then swap it in.

    The new store is built beside the old one and renamed into place, so an
    interrupted build leaves the previous store (or none) and never a half one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f"{path.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    try:
        store = ox.Store(str(building))
        load_files(store, project.graph_files(), project.root, progress)
        store.update(current_view_rule(project))
        store.flush()
        del store
        (building / FINGERPRINT_FILE).write_text(stamp)
        retired = path.with_name(f"{path.name}.old-{os.getpid()}")
        if path.exists():
            path.rename(retired)
        building.rename(path)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def load_files(store: ox.Store, files: list[Path], root: Path, progress: Progress | None = None) -> None:
    """Bulk-load Turtle files, naming the file and line of the first syntax error."""
    total = sum(f.stat().st_size for f in files)
    done = 0
    for file in files:
        try:
            store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE, base_iri=file.as_uri())
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
