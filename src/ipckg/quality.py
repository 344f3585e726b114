"""The quality suite: SHACL over the whole graph plus the check queries.

A check query returns the rows that are wrong, so it passes when it
returns none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .project import Project
from .queries import SavedQuery, check_queries
from .report import Report
from .results import cell
from .validation import Progress, validate_store


@dataclass
class QualityOutcome:
    report: Report
    checks: list[SavedQuery]
    failed: dict[str, list[list[str]]] = field(default_factory=dict)
    fail_on: str = "Violation"

    @property
    def passed(self) -> bool:
        return not self.report.fails(self.fail_on) and not self.failed


def run_quality_checks(project: Project, graph, engine: str = "sparql",
                       progress: Progress | None = None, fail_on: str = "Violation") -> QualityOutcome:
    """Validate the whole graph (store or endpoint) and run every check query on it."""
    report = validate_store(graph, project, engine=engine, progress=progress)
    checks = check_queries(project)
    outcome = QualityOutcome(report, checks, fail_on=fail_on)
    for saved in checks:
        result = graph.query(saved.sparql, saved.bind({}))
        names = [v.value for v in result.variables]
        rows = [[cell(row[name]) for name in names] for row in result]
        if rows:
            outcome.failed[saved.name] = rows
    return outcome
