"""ipckg.linking end to end against a real SPARQL server (no mocks).

A private `oxigraph serve` on 127.0.0.1 serves a small Wikidata-shaped graph
(tests/fixtures/wikidata/wikidata-sample.ttl); the tests find candidates on
it, write and edit SSSOM review files, and apply them to private copies of
the bundled project.
"""

from __future__ import annotations

import csv
import re
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ipckg import linking
from ipckg.endpoint import Endpoint
from ipckg.errors import EndpointError, InputError, UsageError
from ipckg.linking import Candidate, apply_review, entities_to_link, find_candidates, read_review, write_review
from ipckg.project import Project
from ipckg.store import current_view_rule, memory_store, open_store
from servers import oxigraph_server

REPO = Path(__file__).resolve().parents[1]
CURATED_LINK_FILES = ("data/claims/links.ttl", "data/link-evidence.ttl")
SAMPLE = Path(__file__).resolve().parent / "fixtures" / "wikidata" / "wikidata-sample.ttl"

WD = "http://www.wikidata.org/entity/"
IPC = "https://w3id.org/ipckg/ontology#"
PLACE = "https://w3id.org/ipckg/place/"
COUNTRY = "https://w3id.org/ipckg/country/"
ORGANISATION = "https://w3id.org/ipckg/organisation/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
PERFECT = {"type": 1.0, "label": 1.0, "country": 1.0, "language": 1.0}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    """The Wikidata-shaped fixture served by a private Oxigraph, stopped however the module ends."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-wikidata"), data=[SAMPLE]) as server:
        yield server


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """A private copy of the bundled project with its own cache, for tests that only search."""
    base = tmp_path_factory.mktemp("linking-snapshot")
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(REPO / folder, base / "project" / folder)
    remove_curated_links(base / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPCKG_CACHE", str(base / "cache"))
        project = Project(base / "project")
        yield project, open_store(project)


def remove_curated_links(root: Path) -> None:
    """The bundled graph before its links were curated: every entity is still to be linked."""
    for name in CURATED_LINK_FILES:
        (root / name).unlink()


@pytest.fixture
def unlinked(project_copy):
    remove_curated_links(project_copy.root)
    return project_copy


class RecordingEndpoint(Endpoint):
    """A real Endpoint that also keeps the text of every query it sends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []

    def query(self, sparql, bindings=None, prefixes=None):
        self.sent.append(sparql)
        return super().query(sparql, bindings, prefixes)


@pytest.fixture
def endpoint(wikidata):
    return RecordingEndpoint(wikidata.query_url, timeout=10, retries=1, backoff=0.05)


def by_entity(candidates, entity):
    return [c for c in candidates if c.entity == entity]


def edit_review(path: Path, decisions: dict[tuple[str, str], dict[str, str]]) -> None:
    """Change cells of the rows whose (subject_id, object_id) CURIEs are given, like a curator would."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    columns = lines[header_at].split("\t")
    done = set()
    for i in range(header_at + 1, len(lines)):
        cells = lines[i].split("\t")
        key = (cells[columns.index("subject_id")], cells[columns.index("object_id")])
        if key in decisions:
            for column, value in decisions[key].items():
                cells[columns.index(column)] = value
            lines[i] = "\t".join(cells)
            done.add(key)
    assert done == set(decisions), f"rows not found: {set(decisions) - done}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


ACCEPT = {"mapping_justification": "semapv:MappingReview"}
REJECT = {"predicate_modifier": "Not"}


def review_line(path: Path, subject: str, obj: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{subject}\t") and f"\t{obj}\t" in line:
            return number
    raise AssertionError(f"no row {subject} {obj}")


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def candidate(entity, label, match, match_label, score, features, justification, **extra) -> Candidate:
    return Candidate(entity=entity, entity_label=label, target="wikidata", match=match, match_label=match_label,
                     score=score, features=features, justification=justification, **extra)


# ------------------------------------------------------- entities to link


def test_entities_to_link_carry_labels_class_and_country(snapshot):
    _, store = snapshot
    entities = {e.iri: e for e in entities_to_link(store, "wikidata")}
    kuantan = entities[PLACE + "kuantan"]
    assert kuantan.classes == (IPC + "City",)
    assert kuantan.country == COUNTRY + "malaysia"
    assert linking.Label("Malaysia", "en", RDFS_LABEL) in kuantan.country_labels
    assert kuantan.country_link is None
    china = entities[COUNTRY + "china"]
    assert china.languages == ("en", "zh")
    assert linking.Label("People's Republic of China", "en", SKOS_ALT) in china.labels
    assert entities[ORGANISATION + "chery"].classes == (IPC + "Company",)  # the most specific mapped class
    assert PLACE + "walini" in entities

    cities = entities_to_link(store, "wikidata", "ipc:City")
    assert cities and all(e.classes == (IPC + "City",) for e in cities)
    assert PLACE + "kuantan" in {e.iri for e in cities}
    geonames = entities_to_link(store, "geonames")
    assert PLACE + "kuantan" in {e.iri for e in geonames}
    assert all(e.classes[0].rsplit("#", 1)[1] in ("Country", "City", "Region", "Site") for e in geonames)


def test_unknown_target_and_missing_endpoint_are_usage_errors(snapshot):
    project, store = snapshot
    with pytest.raises(UsageError, match="Unknown link target 'freebase'"):
        find_candidates(store, project, target="freebase")
    with pytest.raises(UsageError, match="GeoNames has no public SPARQL endpoint"):
        find_candidates(store, project, target="geonames")


# ------------------------------------------------------------ candidates


def test_kuantan_city_ranked_first_and_company_of_the_same_name_below(snapshot, endpoint):
    project, store = snapshot
    found = by_entity(find_candidates(store, project, endpoint=endpoint, type_iri="ipc:City"), PLACE + "kuantan")
    assert [c.match for c in found] == [WD + "Q817578", WD + "Q999000001"]
    city, company = found
    assert city.features == PERFECT and city.score == 1.0
    assert city.match_label == "Kuantan" and city.entity_label == "Kuantan"
    assert "instance of city (wd:Q515)" in city.justification
    assert company.features["type"] == 0.0 and company.features["label"] == 1.0
    assert company.score == 0.5 < city.score
    assert "none of the kinds expected for ipc:City" in company.justification


def test_subclass_chain_counts_as_the_expected_type(snapshot, endpoint):
    project, store = snapshot
    jakarta = by_entity(find_candidates(store, project, endpoint=endpoint, type_iri="ipc:City"), PLACE + "jakarta")
    assert jakarta[0].match == WD + "Q3630" and jakarta[0].features == PERFECT
    assert "instance of megacity (wd:Q1637706), a kind of wd:Q1549591, wd:Q486972, wd:Q515" in jakarta[0].justification


def test_countries_ranked_first_and_same_named_region_below(snapshot, endpoint):
    project, store = snapshot
    found = find_candidates(store, project, endpoint=endpoint, type_iri="ipc:Country")
    malaysia = by_entity(found, COUNTRY + "malaysia")
    assert [c.match for c in malaysia] == [WD + "Q833"]
    assert malaysia[0].features == {"type": 1.0, "label": 1.0, "country": 0.5, "language": 1.0}
    assert malaysia[0].score == 0.925
    china = by_entity(found, COUNTRY + "china")
    assert [c.match for c in china] == [WD + "Q148", WD + "Q999000010"]
    assert china[0].features["language"] == 1.0  # "China"@en and "中国"@zh both found
    assert china[1].features["type"] == 0.0 and china[1].features["language"] == 0.5


def test_same_name_told_apart_by_type_and_country(snapshot, endpoint):
    project, store = snapshot
    bandung = by_entity(find_candidates(store, project, endpoint=endpoint, type_iri="ipc:City"), PLACE + "bandung")
    assert [c.match for c in bandung] == [WD + "Q999000002", WD + "Q999000004", WD + "Q999000003"]
    city, village, film = bandung
    assert city.features == PERFECT
    assert village.features["type"] == 1.0 and village.features["country"] == 0.0
    assert film.features["type"] == 0.0
    assert city.score > village.score > film.score
    assert "not named like country:indonesia" in village.justification


def test_no_candidate_for_an_entity_that_is_not_there(snapshot, endpoint):
    project, store = snapshot
    sites = entities_to_link(store, "wikidata", "ipc:Site")
    assert PLACE + "walini" in {e.iri for e in sites}
    found = find_candidates(store, project, endpoint=endpoint, type_iri="ipc:Site")
    assert by_entity(found, PLACE + "walini") == []
    cities = find_candidates(store, project, endpoint=endpoint, type_iri="ipc:City", limit_per_entity=1)
    assert by_entity(cities, PLACE + "kunming") == []
    assert [c.match for c in by_entity(cities, PLACE + "kuantan")] == [WD + "Q817578"]  # limit 1


def test_wikidata_mul_labels_are_found_and_count_for_every_language(snapshot, endpoint):
    project, store = snapshot
    calls = []
    found = find_candidates(store, project, endpoint=endpoint, type_iri="ipc:Region",
                            progress=lambda what, done, total: calls.append((what, done, total)))
    pahang = by_entity(found, PLACE + "pahang")
    assert [c.match for c in pahang] == [WD + "Q999000007"] and pahang[0].features == PERFECT
    assert calls[-1][1] == calls[-1][2] and any(what.startswith("Searching Wikidata") for what, _, _ in calls)


def test_labels_reach_the_endpoint_as_bound_terms_only(unlinked, wikidata):
    evil = 'Kuantan" } UNION { ?item ?field ?name } #'
    (unlinked.data_dir / "evil.ttl").write_text(
        "@prefix ipc: <https://w3id.org/ipckg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{PLACE}evil> a ipc:City ; rdfs:label {ox.Literal(evil, language='en')} .\n", encoding="utf-8")
    store = open_store(unlinked)
    recorder = RecordingEndpoint(wikidata.query_url, timeout=10, retries=0)
    found = find_candidates(store, unlinked, endpoint=recorder, type_iri="ipc:City")
    assert by_entity(found, PLACE + "evil") == []  # the label matched nothing and injected nothing
    assert by_entity(found, PLACE + "kuantan")[0].match == WD + "Q817578"
    label_query = next(q for q in recorder.sent if str(ox.NamedNode(PLACE + "evil")) in q)
    assert str(ox.Literal(evil, language="en")) in label_query
    for language in ("en", "mul"):  # the label as a term is the only place its text appears
        label_query = label_query.replace(str(ox.Literal(evil, language=language)), "")
    assert "UNION" not in label_query


# ---------------------------------------------------------------- review


def test_write_review_writes_the_expected_sssom_rows(tmp_path):
    rows = [
        candidate(PLACE + "kuantan", "Kuantan", WD + "Q817578", "Kuantan", 1.0, PERFECT,
                  "Wikidata wd:Q817578 “Kuantan”.", entity_class=IPC + "City", match_class=WD + "Q515",
                  match_string="Kuantan", subject_match_field=RDFS_LABEL, object_match_field=RDFS_LABEL),
        candidate(PLACE + "kuantan", "Kuantan", WD + "Q999000001", "Kuantan", 0.5,
                  {"type": 0.0, "label": 1.0, "country": 1.0, "language": 1.0},
                  "A company,\twith a tab\nand a newline.", entity_class=IPC + "City"),
    ]
    path = tmp_path / "review.sssom.tsv"
    write_review(rows, path, endpoint_url="http://127.0.0.1:1/query")
    text = path.read_text(encoding="utf-8")
    metadata, parsed = read_review(path)
    import yaml  # the metadata block is YAML for any SSSOM reader, this one included

    assert yaml.safe_load("\n".join(line[1:] for line in text.splitlines() if line.startswith("#"))) == metadata
    assert metadata["curie_map"] == {
        "ipc": IPC, "place": PLACE, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "semapv": "https://w3id.org/semapv/vocab/", "skos": "http://www.w3.org/2004/02/skos/core#", "wd": WD}
    assert metadata["mapping_set_id"].startswith("https://w3id.org/ipckg/mappings/wikidata-review-")
    assert metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["object_source"] == WD and metadata["mapping_provider"] == "http://127.0.0.1:1/query"
    body = [line for line in text.splitlines() if not line.startswith("#")]
    table = list(csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert table == [
        {"subject_id": "place:kuantan", "subject_label": "Kuantan", "subject_category": "ipc:City",
         "predicate_id": "skos:exactMatch", "predicate_modifier": "", "object_id": "wd:Q817578",
         "object_label": "Kuantan", "object_category": "wd:Q515", "mapping_justification": "semapv:LexicalMatching",
         "subject_match_field": "rdfs:label", "object_match_field": "rdfs:label", "match_string": "Kuantan",
         "confidence": "1.000", "other": "type=1.000|label=1.000|country=1.000|language=1.000",
         "comment": "Wikidata wd:Q817578 “Kuantan”."},
        {"subject_id": "place:kuantan", "subject_label": "Kuantan", "subject_category": "ipc:City",
         "predicate_id": "skos:exactMatch", "predicate_modifier": "", "object_id": "wd:Q999000001",
         "object_label": "Kuantan", "object_category": "", "mapping_justification": "semapv:LexicalMatching",
         "subject_match_field": "", "object_match_field": "", "match_string": "",
         "confidence": "0.500", "other": "type=0.000|label=1.000|country=1.000|language=1.000",
         "comment": "A company, with a tab and a newline."},
    ]
    assert [(r.subject, r.predicate, r.object, r.confidence, r.rejected, r.curated) for r in parsed] == [
        (PLACE + "kuantan", EXACT_MATCH, WD + "Q817578", 1.0, False, False),
        (PLACE + "kuantan", EXACT_MATCH, WD + "Q999000001", 0.5, False, False)]


def test_apply_adds_links_remembers_rejections_and_accepts_clear_matches(unlinked, endpoint):
    store = open_store(unlinked)
    review = unlinked.root / "places.sssom.tsv"
    write_review(find_candidates(store, unlinked, endpoint=endpoint, type_iri="ipc:Place"), review,
                 endpoint_url=endpoint.url)
    edit_review(review, {
        ("country:malaysia", "wd:Q833"): ACCEPT,
        ("place:kuantan", "wd:Q817578"): ACCEPT,
        ("place:kuantan", "wd:Q999000001"): REJECT,
        ("place:bandung", "wd:Q999000004"): REJECT,
        ("place:bandung", "wd:Q999000003"): REJECT,
    })
    result = apply_review(unlinked, review)
    assert result.conforms, result.report.results
    assert sorted(r.subject for r in result.accepted) == [COUNTRY + "malaysia", PLACE + "kuantan"]
    assert {(r.subject, r.object) for r in result.rejected} == {
        (PLACE + "kuantan", WD + "Q999000001"), (PLACE + "bandung", WD + "Q999000004"),
        (PLACE + "bandung", WD + "Q999000003")}
    links_file, rejections_file = result.written
    assert links_file.parent == unlinked.data_dir / "added" and links_file.suffix == ".ttl"
    assert rejections_file == unlinked.data_dir / "links" / "rejected.sssom.tsv"

    store = open_store(unlinked)  # rebuilt: the new file is part of the graph
    links = {(r["s"].value, r["o"].value) for r in store.query(
        f"SELECT ?s ?o WHERE {{ ?s <{EXACT_MATCH}> ?o }}")}
    assert links == {(COUNTRY + "malaysia", WD + "Q833"), (PLACE + "kuantan", WD + "Q817578")}
    claim = list(store.query(f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX ipc: <{IPC}>
        SELECT ?who ?source ?quote ?locator ?rank WHERE {{
          ?c rdf:subject <{PLACE}kuantan> ; rdf:predicate <{EXACT_MATCH}> ; rdf:object <{WD}Q817578> ;
             prov:wasAttributedTo ?who ; prov:wasDerivedFrom ?source ; ipc:quote ?quote ;
             ipc:locator ?locator ; ipc:rank ?rank .
          ?source a ipc:SourceDocument .
        }}"""))
    assert len(claim) == 1
    assert claim[0]["who"].value == ORGANISATION + "ipckg" and claim[0]["rank"].value == IPC + "NormalRank"
    assert claim[0]["quote"].value.startswith("Wikidata wd:Q817578 “Kuantan”")
    line = review_line(review, "place:kuantan", "wd:Q817578")
    assert claim[0]["locator"].value == f"places.sssom.tsv, line {line} (accepted by a curator)"
    _, remembered = read_review(rejections_file)
    assert all(r.rejected and r.justification.endswith("MappingReview") for r in remembered)

    # Second round: linked entities and rejected pairs are not proposed again;
    # Malaysia's new link now serves as context for its places.
    again = find_candidates(store, unlinked, endpoint=endpoint, type_iri="ipc:Place")
    assert by_entity(again, PLACE + "kuantan") == [] and by_entity(again, COUNTRY + "malaysia") == []
    assert [c.match for c in by_entity(again, PLACE + "bandung")] == [WD + "Q999000002"]
    pahang = by_entity(again, PLACE + "pahang")[0]
    assert pahang.features["country"] == 1.0 and "the link of country:malaysia (wd:Q833)" in pahang.justification

    second = unlinked.root / "places-2.sssom.tsv"
    write_review(again, second)
    edit_review(second, {("country:china", "wd:Q999000010"): REJECT})
    result = apply_review(unlinked, second, accept_above=0.95)
    assert result.conforms, result.report.results
    assert sorted(r.subject for r in result.accepted) == [
        PLACE + "bandung", PLACE + "beijing", PLACE + "jakarta", PLACE + "pahang"]
    assert sorted(r.object for r in result.undecided) == [WD + "Q148", WD + "Q252"]  # 0.925 < 0.95
    assert len(result.written) == 2
    _, remembered = read_review(rejections_file)  # appended to, earlier rejections kept
    assert [(r.subject, r.object) for r in remembered] == [
        (PLACE + "bandung", WD + "Q999000004"), (PLACE + "bandung", WD + "Q999000003"),
        (PLACE + "kuantan", WD + "Q999000001"), (COUNTRY + "china", WD + "Q999000010")]
    store = open_store(unlinked)
    assert bool(store.query(f"ASK {{ <{PLACE}bandung> <{EXACT_MATCH}> <{WD}Q999000002> }}"))
    locator = next(iter(store.query(f"""
        SELECT ?l WHERE {{ ?c <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{PLACE}bandung> ;
                              <{IPC}locator> ?l }}""")))["l"].value
    assert locator.endswith("(accepted automatically: confidence 1.000 ≥ 0.95)")
    assert apply_review(unlinked, second, accept_above=0.95).written == []  # already applied: no-op


def test_accept_above_leaves_two_close_candidates_to_the_curator(unlinked):
    review = unlinked.root / "close.sssom.tsv"
    write_review([
        candidate(PLACE + "bandung", "Bandung", WD + "Q999000002", "Bandung", 0.97, PERFECT, "One."),
        candidate(PLACE + "bandung", "Bandung", WD + "Q999000004", "Bandung", 0.96, PERFECT, "Two."),
    ], review)
    before = files_under(unlinked.data_dir)
    result = apply_review(unlinked, review, accept_above=0.9)
    assert [r.object for r in result.ambiguous] == [WD + "Q999000002", WD + "Q999000004"]
    assert result.accepted == [] and result.written == []
    assert files_under(unlinked.data_dir) == before


def test_non_conforming_links_write_nothing(unlinked):
    review = unlinked.root / "bad.sssom.tsv"
    write_review([
        candidate(ORGANISATION + "chery", "Chery Automobile", "https://sws.geonames.org/1814991/", "Chery", 0.9,
                  PERFECT, "A GeoNames feature for a company."),
        candidate(PLACE + "kuantan", "Kuantan", "https://www.wikidata.org/wiki/Q817578", "Kuantan", 0.9,
                  PERFECT, "A Wikidata page, not an item."),
        candidate(PLACE + "kuantan", "Kuantan", WD + "Q999000001", "Kuantan", 0.5, PERFECT, "A company."),
    ], review)
    edit_review(review, {
        ("organisation:chery", "gn:1814991/"): ACCEPT,
        ("place:kuantan", "https://www.wikidata.org/wiki/Q817578"): ACCEPT,
        ("place:kuantan", "wd:Q999000001"): REJECT,
    })
    before = files_under(unlinked.data_dir)
    result = apply_review(unlinked, review)
    assert not result.conforms and result.written == []
    assert files_under(unlinked.data_dir) == before  # no links, and the rejection is not remembered either
    violations = {(r.focus, r.message, r.file, r.line) for r in result.report.results if r.severity == "Violation"}
    assert (ORGANISATION + "chery", "Only places link to GeoNames; this entity is not a place.", str(review),
            review_line(review, "organisation:chery", "gn:1814991/")) in violations
    assert any(focus == PLACE + "kuantan" and message.startswith("An external link must be a Wikidata item")
               and line == review_line(review, "place:kuantan", "https://www.wikidata.org/wiki/Q817578")
               for focus, message, _, line in violations)


@pytest.mark.parametrize("bad, message", [
    ("wd:Q 817578", r"object_id 'wd:Q 817578' is not a valid IRI"),
    ("wikidata:Q817578", r"object_id 'wikidata:Q817578' uses the prefix 'wikidata', which the file's curie_map "
                         r"does not declare"),
    ("Q817578", r"object_id 'Q817578' is neither an IRI nor a prefixed name"),
])
def test_malformed_identifier_in_review_is_an_input_error(unlinked, bad, message):
    review = unlinked.root / "typo.sssom.tsv"
    write_review([candidate(PLACE + "kuantan", "Kuantan", WD + "Q817578", "Kuantan", 1.0, PERFECT, "Fine."),
                  candidate(PLACE + "bandung", "Bandung", WD + "Q999000003", "Bandung", 0.4, PERFECT, "Film.")],
                 review)
    edit_review(review, {("place:kuantan", "wd:Q817578"): {**ACCEPT, "object_id": bad},
                         ("place:bandung", "wd:Q999000003"): REJECT})
    before = files_under(unlinked.data_dir)
    with pytest.raises(InputError, match=rf"typo\.sssom\.tsv, line \d+: {message}"):
        apply_review(unlinked, review)
    assert files_under(unlinked.data_dir) == before


def test_stopped_server_gives_a_quick_clean_error_and_writes_nothing(snapshot, tmp_path):
    project, store = snapshot
    with oxigraph_server(tmp_path / "short-lived", data=[SAMPLE], persistent=False) as server:
        url = server.query_url
        assert find_candidates(store, project, endpoint=Endpoint(url, timeout=5, retries=0), type_iri="ipc:Country")
    before = files_under(project.root)
    review = tmp_path / "review.sssom.tsv"
    start = time.monotonic()
    with pytest.raises(EndpointError, match=r"Could not connect to the SPARQL endpoint http://127\.0\.0\.1:\d+/query: "
                                            r"connection refused"):
        write_review(find_candidates(store, project, endpoint=Endpoint(url, timeout=2, retries=2, backoff=0.05),
                                     type_iri="ipc:City"), review)
    assert time.monotonic() - start < 5
    assert not review.exists() and files_under(project.root) == before


# ------------------------------------------------------------- federation


def test_pyoxigraph_service_queries_the_server(snapshot, wikidata):
    """pyoxigraph 0.5 evaluates SERVICE itself (its wheels include the HTTP client).

    It sends the SERVICE block as it is: bindings from outside the block are
    not passed along, so selective values must sit inside it.
    """
    project, _ = snapshot
    local = memory_store(project.graph_files(), project.root, current_view_rule(project))
    rows = local.query(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX wdt: <http://www.wikidata.org/prop/direct/>
        PREFIX wd: <{WD}>
        PREFIX ipc: <{IPC}>
        SELECT ?entity ?item WHERE {{
          ?entity a ipc:City ; rdfs:label ?label .
          SERVICE <{wikidata.query_url}> {{
            VALUES ?label {{ "Kuantan"@en "Jakarta"@en "Bandung"@en }}
            ?item rdfs:label ?label ; wdt:P31/wdt:P279* wd:Q515 .
          }}
        }}""")
    assert {(r["entity"].value, r["item"].value) for r in rows} == {
        (PLACE + "kuantan", WD + "Q817578"), (PLACE + "jakarta", WD + "Q3630"),
        (PLACE + "bandung", WD + "Q999000002")}  # not the village: a human settlement is no city


def test_a_review_file_with_broken_yaml_metadata_names_the_line(tmp_path):
    path = tmp_path / "review.sssom.tsv"
    path.write_text('#curie_map:\n#  ipc: "https://w3id.org/ipckg/ontology#"\n#mapping_date: [2026\n'
                    "subject_id\tpredicate_id\tobject_id\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}, line \d: the metadata block is not valid YAML"):
        read_review(path)
