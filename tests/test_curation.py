"""Adding assertions: validated first, then written (tests/test_transaction.py: all or nothing, one writer at a time)."""

from pathlib import Path

import pytest

from ipckg.curation import add_files, review_files
from ipckg.errors import UsageError
from ipckg.store import GraphStore, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_conforming_file_is_added_and_reaches_the_view(project_copy):
    result = add_files(project_copy, [FIXTURES / "new-claim.ttl"])
    assert result.accepted
    assert result.written == [project_copy.data_dir / "added" / "new-claim.ttl"]
    assert (len(result.new_triples), result.already_present) == (14, 0)
    rows = open_store(project_copy).query(
        "SELECT ?d WHERE { <https://w3id.org/ipckg/project/kanupp-2> <https://w3id.org/ipckg/ontology#operationStart> ?d }")
    assert [r["d"].value for r in rows] == ["2021-05-20"]


def test_rejected_file_changes_nothing(project_copy):
    before = snapshot(project_copy.data_dir)
    result = add_files(project_copy, [FIXTURES / "claim-without-source.ttl"])
    assert not result.accepted and result.written == []
    assert [r.message for r in result.report.results] == [
        "A claim comes from exactly one source document (prov:wasDerivedFrom an ipc:SourceDocument)."]
    assert snapshot(project_copy.data_dir) == before


def test_dry_run_writes_nothing(project_copy):
    before = snapshot(project_copy.data_dir)
    result = add_files(project_copy, [FIXTURES / "new-claim.ttl"], dry_run=True)
    assert result.accepted and result.written == [] and len(result.new_triples) == 14
    assert snapshot(project_copy.data_dir) == before


def test_triples_already_in_the_graph_are_counted(project_copy, tmp_path):
    known = tmp_path / "known.ttl"
    known.write_text('<https://w3id.org/ipckg/country/laos> <http://www.w3.org/2000/01/rdf-schema#label> "Laos"@en .\n')
    result = add_files(project_copy, [known], dry_run=True)
    assert (len(result.new_triples), result.already_present) == (0, 1)


def test_a_name_cannot_be_added_twice(project_copy):
    add_files(project_copy, [FIXTURES / "new-claim.ttl"])
    with pytest.raises(UsageError, match="already exists"):
        add_files(project_copy, [FIXTURES / "new-claim.ttl"])


def test_a_given_store_is_used_without_counting_its_quads(project_copy, monkeypatch):
    """Counting a million quads to test a store's truth value cost a quarter second per add."""
    store = open_store(project_copy)
    monkeypatch.setattr(GraphStore, "__len__", lambda self: pytest.fail("add counted the store's quads"))
    assert review_files(store, project_copy, [FIXTURES / "new-claim.ttl"]).accepted
