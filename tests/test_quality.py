from pathlib import Path

from ipckg.quality import run_quality_checks
from ipckg.store import open_store


def test_bundled_graph_passes_every_check(project, store):
    outcome = run_quality_checks(project, store)
    assert outcome.passed
    assert [c.name for c in outcome.checks] == sorted(p.stem for p in (project.checks_dir).glob("*.rq"))


def test_a_check_fails_with_its_rows(project_copy):
    (project_copy.data_dir / "orphan.ttl").write_text(
        "@prefix ipc: <https://w3id.org/ipckg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/ipckg/source/test-orphan> a ipc:SourceDocument ;\n"
        '    rdfs:label "Nobody cites me"@en ;\n'
        "    <http://purl.org/dc/terms/creator> <https://w3id.org/ipckg/person/li-gang> .\n")
    outcome = run_quality_checks(project_copy, open_store(project_copy))
    assert outcome.report.conforms and not outcome.passed
    assert outcome.failed == {"uncited-sources": [["source:test-orphan"]]}


def test_a_fact_that_reached_the_graph_without_a_claim_fails_check(project_copy):
    """Written into data/ by hand, past add: the bare length, and a second value for a claimed pair."""
    (project_copy.data_dir / "bare.ttl").write_text(
        "@prefix ipc: <https://w3id.org/ipckg/ontology#> .\n"
        "@prefix project: <https://w3id.org/ipckg/project/> .\n"
        "@prefix country: <https://w3id.org/ipckg/country/> .\n"
        "project:kanupp-2 ipc:hostCountry country:laos .\n"
        "project:kuantan-steel-plant ipc:hostCountry country:malaysia .\n")
    outcome = run_quality_checks(project_copy, open_store(project_copy))
    assert not outcome.passed
    # Kuantan's host country is claimed (Li Gang's article), KANUPP-2's is Pakistan, not Laos.
    assert outcome.failed["facts-without-claims"] == [["project:kanupp-2", "ipc:hostCountry", "country:laos"]]
