"""Where a graph project lives on disk: ontology, shapes, data and saved queries.

A project is any folder holding `ontology/` and `data/`; commands look for one
from the current directory upwards, like git does, unless told where.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .transaction import pending_targets

RDF_SUFFIXES = (".ttl",)


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The project at `start`, or the nearest folder above it that is one."""
        start = (start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / "ontology").is_dir() and (folder / "data").is_dir():
                return cls(folder)
        raise UsageError(
            f"No ipckg project found in {start} or any folder above it: a project is a folder "
            "with 'ontology/' and 'data/'. Run the command inside one, or name it with --project DIR "
            "(or the IPCKG_PROJECT environment variable)."
        )

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        return self.queries_dir / "checks"

    @property
    def cache_dir(self) -> Path:
        """Derived state (the Oxigraph store); safe to delete, never committed."""
        return Path(os.environ.get("IPCKG_CACHE") or self.root / ".ipckg")  # set but empty: unset

    def ontology_files(self) -> list[Path]:
        return _rdf_files(self.ontology_dir)

    def data_files(self) -> list[Path]:
        """The data files, less those of a change still being committed (see `transaction`)."""
        pending = pending_targets(self.data_dir)
        return [f for f in _rdf_files(self.data_dir) if f not in pending]

    def graph_files(self) -> list[Path]:
        """Everything that goes into the store: the ontology and the data."""
        return self.ontology_files() + self.data_files()

    def shape_files(self) -> list[Path]:
        return _rdf_files(self.shapes_dir)


def _rdf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())
