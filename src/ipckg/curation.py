"""Adding new assertions to the graph: validate first, then write all or nothing.

A rejected file changes nothing.  Accepted files are copied under
`data/added/`.  The whole add holds the writer lock, so it validates against
the data as the previous writer left it, and commits its files through the
journal of `transaction.py`, so even a killed add leaves all of them or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import InputError, UsageError
from .project import Project
from .report import Report
from .store import GraphStore, Progress, open_store
from .terms import to_oxigraph
from .transaction import commit, writer_lock
from .validation import NewAssertions, validate_files

ADDED_DIR = "added"


@dataclass
class AddResult:
    report: Report
    new_triples: Graph
    already_present: int = 0
    written: list[Path] = field(default_factory=list)
    fail_on: str = "Violation"
    remote_counts: tuple[int, int] | None = None
    """For an add to a server: the triples its graph held before and after."""

    @property
    def accepted(self) -> bool:
        """Violations reject a change; warnings and infos only when `fail_on` says so."""
        return not self.report.fails(self.fail_on)


def add_files(project: Project, files: list[Path], *, dry_run: bool = False, engine: str = "sparql",
              fail_on: str = "Violation", progress: Progress | None = None) -> AddResult:
    """Validate files in the context of the graph; if they conform and this is no dry run, add them."""
    if dry_run:
        return review_files(open_store(project, progress), project, files, engine=engine, fail_on=fail_on)
    with writer_lock(project.data_dir):
        result = review_files(open_store(project, progress), project, files, engine=engine, fail_on=fail_on)
        if result.accepted:
            result.written = commit(project.data_dir, {added_target(project, f): f.read_bytes() for f in files})
    return result


def review_files(store: GraphStore, project: Project, files: list[Path], *, engine: str = "sparql",
                 fail_on: str = "Violation") -> AddResult:
    """What adding the files would do to the graph in `store`: the report and the triples it lacks."""
    for file in files:
        added_target(project, file)
    report, new = validate_files(store, project, files, engine=engine)
    refuse_empty(new)
    fresh = Graph()
    for prefix, namespace in new.graph.namespaces():
        fresh.bind(prefix, namespace)
    present = 0
    for triple in new.graph:
        if _in_store(store, triple):
            present += 1
        else:
            fresh.add(triple)
    return AddResult(report, fresh, present, fail_on=fail_on)


def refuse_empty(new: NewAssertions) -> None:
    """An empty file is a mistake, not a change: say so rather than add a file of nothing."""
    empty = [file for file, count in new.triples_per_file.items() if count == 0]
    if empty:
        raise InputError(f"{empty[0]} holds no triples: there is nothing to add. Nothing was written.")


def added_target(project: Project, file: Path) -> Path:
    """Where an added file goes, refused if a file of that name was added before."""
    target = project.data_dir / ADDED_DIR / file.name
    if file.suffix != ".ttl":
        raise UsageError(f"{file}: only Turtle files (.ttl) can be added.")
    if target.exists():
        raise UsageError(f"{target.relative_to(project.root)} already exists: a file of that name was added "
                         f"before. Rename {file} to add it as a new file.")
    return target


def _in_store(store: GraphStore, triple) -> bool:
    subject, predicate, obj = triple
    if any(term.__class__.__name__ == "BNode" for term in (subject, obj)):
        return False
    return bool(store.query(f"ASK {{ {to_oxigraph(subject)} {to_oxigraph(predicate)} {to_oxigraph(obj)} }}"))
