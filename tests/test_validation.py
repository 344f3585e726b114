"""Validation in context reports exactly what whole-graph validation reports about a change."""

from pathlib import Path

import pytest

from ipckg.store import current_view_rule, memory_store
from ipckg.terms import triples_to_graph
from ipckg.admission import refusals
from ipckg.validation import NewAssertions, load_ontology, load_shapes, validate_files, validate_graph, validate_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every change fixture of the CLI and the first invalid fixture of each shape: one per kind of constraint.
# Every change fixture of the CLI and the first invalid fixture of each shape: one per kind of
# constraint (all fixtures would take some twenty minutes), plus the duplicate-identifier case.
CHANGES = sorted([*FIXTURES.glob("cli/*.ttl"), *FIXTURES.glob("shapes/*-invalid-01.ttl"),
                  FIXTURES / "shapes" / "CountryShape-invalid-08.ttl"])


def comparable(report):
    return {(r.focus if not r.focus.startswith("_:") else "_:b", r.severity, r.message, r.path,
             None if r.value is None or r.value.startswith("_:") else r.value, r.shape) for r in report.results}


def test_bundled_graph_conforms(project, store):
    report = validate_store(store, project)
    assert report.results == []
    assert report.conforms


@pytest.mark.parametrize("change", CHANGES, ids=lambda p: p.name)
def test_focused_validation_equals_whole_graph_validation(project, store, change):
    focused, _ = validate_files(store, project, [change])
    whole = memory_store([*project.graph_files(), change], project.root, current_view_rule(project))
    # The admission judges the file as written, which the whole graph cannot show.
    refused = refusals(NewAssertions.read([change]).graph, load_ontology(project))
    expected = validate_graph(triples_to_graph(whole.triples()), load_shapes(project), refused=refused)
    assert comparable(focused) == comparable(expected)


def test_results_point_at_file_and_line(project, store):
    bad = FIXTURES / "cli" / "claim-without-source.ttl"
    report, _ = validate_files(store, project, [bad])
    assert [(r.file, r.line, r.location) for r in report.results] == [(str(bad), 9, f"{bad}:9")]


def test_new_assertions_remember_lines_across_files(tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text("<http://ex/a> <http://ex/p> 1 .\n")
    second.write_text("\n\n<http://ex/b> <http://ex/p>\n   2 .\n")
    new = NewAssertions.read([first, second])
    assert sorted(new.origin.values()) == [(str(first), 1), (str(second), 4)]


def test_report_renderings(project, store):
    bad = FIXTURES / "cli" / "claim-without-source.ttl"
    report, _ = validate_files(store, project, [bad])
    text = report.to_text()
    assert text.splitlines()[0] == "claim:test-kanupp-2-electric-capacity-unsourced"
    assert text.endswith("Does not conform: 1 violation on 1 node(s).\n")
    assert "sh:ValidationReport" in report.to_turtle()
