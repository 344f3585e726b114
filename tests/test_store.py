import os

import pyoxigraph as ox
import pytest

from ipckg.errors import InputError
from ipckg.store import FINGERPRINT_FILE, open_store

IPC = "https://w3id.org/ipckg/ontology#"


def values(store, subject, prop):
    return sorted(row["o"].value for row in store.query(f"SELECT ?o WHERE {{ <{subject}> <{prop}> ?o }}"))


def test_current_view_prefers_preferred_claims(store):
    laos = "https://w3id.org/ipckg/project/china-laos-railway"
    assert values(store, laos, IPC + "constructionStart") == ["2016-12-25"]
    assert values(store, laos, IPC + "groundbreakingDate") == ["2015-12-02"]


def test_current_view_leaves_out_deprecated_and_outranked(store):
    erasmus = "https://w3id.org/ipckg/organisation/erasmus-university-rotterdam"
    assert values(store, erasmus, "https://schema.org/name") == ["Erasmus University Rotterdam"]
    park = "https://w3id.org/ipckg/project/eastern-industrial-zone"
    assert values(store, park, "https://schema.org/name") == ["Eastern Industrial Zone"]


def test_normal_claims_all_reach_the_view(store):
    railway = "https://w3id.org/ipckg/project/hungary-serbia-railway"
    assert values(store, railway, IPC + "hostCountry") == [
        "https://w3id.org/ipckg/country/hungary", "https://w3id.org/ipckg/country/serbia"]


def test_store_is_reused_until_a_file_changes(project_copy):
    first = open_store(project_copy)
    marker = first.path / FINGERPRINT_FILE
    stamp = marker.stat().st_mtime_ns
    del first
    assert open_store(project_copy).path.joinpath(FINGERPRINT_FILE).stat().st_mtime_ns == stamp

    extra = project_copy.data_dir / "extra.ttl"
    extra.write_text('<https://w3id.org/ipckg/country/malaysia> <http://www.w3.org/2004/02/skos/core#altLabel> "Persekutuan Malaysia"@ms .\n')
    rebuilt = open_store(project_copy)
    assert values(rebuilt, "https://w3id.org/ipckg/country/malaysia",
                  "http://www.w3.org/2004/02/skos/core#altLabel") == ["Persekutuan Malaysia"]


def test_malformed_turtle_names_file_and_line_and_keeps_old_store(project_copy):
    before = len(open_store(project_copy))
    bad = project_copy.data_dir / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n")
    with pytest.raises(InputError) as error:
        open_store(project_copy)
    message = str(error.value)
    assert message.startswith("data/broken.ttl is not valid Turtle") and "line 3" in message
    bad.unlink()
    assert len(open_store(project_copy)) == before
    leftovers = [p.name for p in (project_copy.cache_dir).iterdir() if p.name != "store"]
    assert leftovers == []


def test_parameters_are_bound_as_terms(store):
    rows = list(store.query("SELECT ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
                            {"c": ox.NamedNode("https://w3id.org/ipckg/country/laos")}))
    assert [r["label"].value for r in rows] == ["Laos"]


def test_cache_location_follows_environment(project_copy):
    assert str(project_copy.cache_dir) == os.environ["IPCKG_CACHE"]
