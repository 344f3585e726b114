"""Validation reports: what failed, where, and how to show it.

Kept apart from the validator (as pySHACL does) so that the command line,
tests and other tools read the same structure.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from rdflib import Graph

from .namespaces import shorten

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    focus: str
    severity: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    focus_label: str | None = None
    file: str | None = None
    line: int | None = None

    def sort_key(self) -> tuple:
        """Results sort by focus, severity, message, then the rest; a missing field sorts first."""
        return tuple("" if value is None else value for value in (
            self.focus, self.severity, self.message, self.path, self.value, self.shape,
            self.focus_label, self.file, self.line if self.line is not None else -1))

    @property
    def location(self) -> str | None:
        if self.file is None:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Report:
    results: list[ValidationResult] = field(default_factory=list)
    results_graph: Graph | None = None

    @property
    def conforms(self) -> bool:
        """As SHACL defines it: no result at all, whatever its severity."""
        return not self.results

    def fails(self, threshold: str = "Violation") -> bool:
        """Whether any result is at least this severe: violations reject, warnings and infos advise."""
        return any(SEVERITY_ORDER.get(r.severity, 0) <= SEVERITY_ORDER[threshold] for r in self.results)

    def count(self, severity: str) -> int:
        return sum(r.severity == severity for r in self.results)

    def by_focus(self) -> dict[str, list[ValidationResult]]:
        grouped: dict[str, list[ValidationResult]] = defaultdict(list)
        for result in sorted(self.results, key=lambda r: (r.focus, SEVERITY_ORDER.get(r.severity, 9), r.message)):
            grouped[result.focus].append(result)
        return dict(grouped)

    def summary(self) -> str:
        if not self.results:
            return "Conforms: no violations, no warnings."
        parts = [f"{self.count(s)} {s.lower()}{'s' if self.count(s) != 1 else ''}"
                 for s in SEVERITY_ORDER if self.count(s)]
        verdict = "Does not conform" if self.fails() else "Does not conform (advice only, no violation)"
        return f"{verdict}: {', '.join(parts)} on {len(self.by_focus())} node(s)."

    def to_text(self) -> str:
        lines = []
        for focus, results in self.by_focus().items():
            label = results[0].focus_label
            lines.append(f"{shorten(focus)}" + (f" ({label})" if label else ""))
            for r in results:
                lines.append(f"  {r.severity}: {r.message}")
                detail = [f"path {shorten(r.path)}" if r.path else None,
                          f"value {_show(r.value)}" if r.value is not None else None,
                          f"shape {' '.join(shorten(part) for part in r.shape.split(' '))}" if r.shape else None,
                          f"at {r.location}" if r.location else None]
                detail = [d for d in detail if d]
                if detail:
                    lines.append("    " + "; ".join(detail))
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms,
                           "violations": self.count("Violation"),
                           "warnings": self.count("Warning"),
                           "results": [asdict(r) for r in sorted(self.results, key=ValidationResult.sort_key)]},
                          ensure_ascii=False, indent=2) + "\n"

    def to_turtle(self) -> str:
        """The W3C SHACL validation report graph."""
        graph = self.results_graph if self.results_graph is not None else Graph()
        return graph.serialize(format="turtle")


def _show(value: str) -> str:
    return shorten(value) if value.startswith(("http://", "https://")) else repr(value)
