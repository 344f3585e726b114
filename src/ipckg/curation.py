"""Adding new assertions to the graph: validate first, then write atomically.

A rejected file changes nothing.  Accepted files are copied under
`data/added/`; every copy is first written to a temporary file beside its
target and renamed into place only when all of them are ready, so an
interrupted add leaves the data as it was.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import UsageError
from .project import Project
from .report import Report
from .store import GraphStore, open_store
from .terms import to_oxigraph
from .validation import validate_files

ADDED_DIR = "added"


@dataclass
class AddResult:
    report: Report
    new_triples: Graph
    already_present: int = 0
    written: list[Path] = field(default_factory=list)
    fail_on: str = "Violation"

    @property
    def accepted(self) -> bool:
        """Violations reject a change; warnings and infos only when `fail_on` says so."""
        return not self.report.fails(self.fail_on)


def add_files(project: Project, files: list[Path], *, dry_run: bool = False,
              store: GraphStore | None = None, engine: str = "sparql", fail_on: str = "Violation") -> AddResult:
    """Validate files in the context of the graph; if they conform and this is no dry run, add them."""
    store = open_store(project) if store is None else store
    targets = [_target(project, f) for f in files]
    report, new = validate_files(store, project, files, engine=engine)
    fresh = Graph()
    for prefix, namespace in new.graph.namespaces():
        fresh.bind(prefix, namespace)
    present = 0
    for triple in new.graph:
        if _in_store(store, triple):
            present += 1
        else:
            fresh.add(triple)
    result = AddResult(report, fresh, present, fail_on=fail_on)
    if result.accepted and not dry_run:
        result.written = write_atomically({t: f.read_bytes() for t, f in zip(targets, files)})
    return result


def write_atomically(contents: dict[Path, bytes]) -> list[Path]:
    """Write all files or none: temporary files first, renamed into place at the end.

    If a rename fails, the files this call created are removed again, so a
    failed multi-file add leaves no part of itself behind.
    """
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((Path(temporary), target))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        for temporary, target in staged:
            existed = target.exists()
            os.replace(temporary, target)
            if not existed:
                created.append(target)
    except BaseException:
        for target in created:
            target.unlink(missing_ok=True)
        raise
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [target for _, target in staged]


def _target(project: Project, file: Path) -> Path:
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
