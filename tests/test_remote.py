"""ipckg.remote and the saved queries against a real, private Virtuoso (no server mocks).

Every test works in its own named graph, so tests share the session's
Virtuoso without seeing each other's data.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from ipckg.curation import add_files
from ipckg.endpoint import GENID, Endpoint
from ipckg.errors import EndpointError, UsageError
from ipckg.quality import run_quality_checks
from ipckg.queries import find_query, check_queries, load_query, saved_queries
from ipckg.remote import PushResult, add_remote, push
from ipckg.results import serialize_graph
from ipckg.stats import graph_stats
from ipckg.store import open_store
from ipckg.validation import GENID as VALIDATION_GENID
from ipckg.validation import validate_files
from servers import free_port

REPO = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}
IPC = "https://w3id.org/ipckg/ontology#"
KANUPP = "https://w3id.org/ipckg/project/kanupp-2"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
ANONYMOUS = "_:anonymous"

# Values for the required parameters, so that every saved query can run.
SAMPLE_PARAMETERS = {
    "claims-about-entity": {"entity": "project:kanupp-2"},
    "entity-description": {"entity": "project:kanupp-2"},
    "projects-by-year": {"year": "2015"},
}

# Federated saved queries cannot run on Virtuoso 7.2.5: it refuses SERVICE with the
# endpoint bound by a VALUES block (SP031 "Unsupported combination of subqueries and
# service invocations"); ipckg reports that as a clean error (tested below).
FEDERATED = {"city-coordinates", "host-country-facts", "organisation-founding-dates"}


@pytest.fixture(autouse=True, scope="module")
def no_credentials(tmp_path_factory):
    """The private server takes no credentials; keep the developer's out of the requests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("IPCKG_ENDPOINT_USER", raising=False)
        patch.delenv("IPCKG_ENDPOINT_PASSWORD", raising=False)
        patch.setenv("NETRC", str(tmp_path_factory.mktemp("netrc") / "none"))
        yield


_created: list[Endpoint] = []


def fresh_endpoint(server, kind: type[Endpoint] = Endpoint, *, keep: bool = False) -> Endpoint:
    """An endpoint scoped to a new graph, dropped after the test unless `keep`."""
    endpoint = kind(server.sparql_url, graph=f"https://w3id.org/ipckg/graph/test-{uuid.uuid4().hex}", timeout=30)
    if not keep:
        _created.append(endpoint)
    return endpoint


def drop(endpoint: Endpoint) -> None:
    endpoint.update(f"DROP SILENT GRAPH <{endpoint.graph}>")


@pytest.fixture(autouse=True)
def drop_test_graphs():
    """Keep the shared server small: Virtuoso's cost estimates (and refusals) grow with its data."""
    yield
    while _created:
        drop(_created.pop())


@pytest.fixture(scope="module")
def pushed(virtuoso, project, no_credentials):
    """The bundled graph pushed once to its own graph, for the read-only comparisons."""
    endpoint = fresh_endpoint(virtuoso, keep=True)
    push(project, endpoint, replace=True)
    yield endpoint
    drop(endpoint)


@pytest.fixture(scope="module")
def local(project, pushed):
    """The store that was pushed: opened after the push, so it holds the same graph."""
    return open_store(project)


# -- normalising answers: values, not lexical forms -------------------------------------------


def is_anonymous(term) -> bool:
    return isinstance(term, (ox.BlankNode, BNode)) or (
        isinstance(term, (ox.NamedNode, URIRef)) and str(getattr(term, "value", term)).startswith(GENID))


def value(term):
    """Compare values: numbers as Decimal, other literals by text and lower-cased language tag."""
    if term is None:
        return None
    if is_anonymous(term):
        return ANONYMOUS
    if isinstance(term, ox.NamedNode):
        return term.value
    if term.datatype.value in NUMERIC:
        try:
            return ("number", Decimal(term.value))
        except InvalidOperation:
            pass
    return ("literal", term.value, (term.language or "").lower())


def triple_values(triples) -> Counter:
    """A graph as a multiset of valued triples (set semantics first: Oxigraph's CONSTRUCT repeats)."""
    return Counter(tuple(value(t) for t in (x.subject, x.predicate, x.object)) for x in set(triples))


def canonical(triples) -> Graph:
    """An rdflib graph with skolem IRIs back as blank nodes and literals in value form."""
    graph, names = Graph(), {}

    def term(t):
        if isinstance(t, ox.BlankNode) or (isinstance(t, ox.NamedNode) and t.value.startswith(GENID)):
            return names.setdefault(t.value, BNode())
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if t.datatype.value in NUMERIC:
            return Literal(str(Decimal(t.value).normalize()), datatype=URIRef(XSD + "decimal"))
        if t.language:
            return Literal(t.value, lang=t.language.lower())
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    for x in triples:
        graph.add((term(x.subject), term(x.predicate), term(x.object)))
    return graph


def assert_same_graph(expected, actual) -> None:
    a, b = canonical(expected), canonical(actual)
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(f"graphs differ: {len(a)} vs {len(b)} triples; only expected: {sorted(only_a)[:5]}; "
                    f"only actual: {sorted(only_b)[:5]}")


_ORDER_KEY = re.compile(r"^(?:(?:ASC|DESC|STR)\()?\?(\w+)\)?$", re.I)


def order_keys(sparql: str, names: list[str]) -> list[int]:
    """Columns of the leading ORDER BY keys that are projected variables (used plainly or in DESC/STR)."""
    m = re.search(r"ORDER\s+BY\s+(.+?)\s*(?:LIMIT|OFFSET|$)", sparql.strip().rsplit("}", 1)[-1], re.I | re.S)
    columns = []
    for token in (m.group(1).split() if m else []):
        key = _ORDER_KEY.match(token)
        if not key or key.group(1) not in names:
            break
        columns.append(names.index(key.group(1)))
    return columns


def answer(graph, saved, bindings):
    """The answer as comparable data: ordered groups of row multisets, or one multiset."""
    result = graph.query(saved.sparql, bindings)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if not isinstance(result, ox.QuerySolutions):
        return triple_values(result)
    names = [v.value for v in result.variables]
    rows = [tuple(value(row[n]) for n in names) for row in result]
    keys = order_keys(saved.sparql, names)
    if not keys:
        return Counter(rows)
    groups: list[tuple] = []  # consecutive rows with equal order keys, in order
    for row in rows:
        key = tuple(row[i] for i in keys)
        if groups and groups[-1][0] == key:
            groups[-1][1][row] += 1
        else:
            groups.append((key, Counter([row])))
    return groups


def saved_query_cases():
    cases = []
    for path in [*sorted((REPO / "queries").glob("*.rq")), *sorted((REPO / "queries" / "checks").glob("*.rq"))]:
        name = path.stem if path.parent.name == "queries" else f"checks/{path.stem}"
        if name in FEDERATED:
            continue
        cases.append(pytest.param(path, id=name))
    return cases


# -- push -------------------------------------------------------------------------------------


def test_push_replace_gives_the_local_count_and_chunks_change_nothing(virtuoso, project):
    endpoint = fresh_endpoint(virtuoso)
    first = push(project, endpoint, replace=True)
    store = open_store(project)
    assert first == PushResult(sent=len(store), remote_count=len(store), before=0)
    assert endpoint.count_triples() == len(store)
    before = triple_values(endpoint.triples())

    seen = []
    again = push(project, endpoint, replace=True, chunk_size=1000,
                 progress=lambda what, done, total: seen.append((what, done, total)))
    assert again.remote_count == len(store)
    uploads = [done for what, done, total in seen if what == "Uploading"]
    assert len(uploads) == -(-len(store) // 1000) >= 4
    assert uploads == sorted(uploads) and uploads[-1] == len(store)
    assert triple_values(endpoint.triples()) == before


def test_push_append_adds_to_what_the_graph_holds_and_twice_adds_nothing(virtuoso, project):
    endpoint = fresh_endpoint(virtuoso)
    endpoint.update('INSERT DATA { <https://example.org/other> <https://example.org/p> "kept" }')
    store = open_store(project)
    first = push(project, endpoint, append=True)
    assert (first.before, first.remote_count) == (1, len(store) + 1) and endpoint.count_triples() == len(store) + 1
    blank = sum(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in store.triples())
    assert blank > 100  # the quantities: each blank node gets the same IRI on every push
    again = push(project, endpoint, append=True)
    assert (again.before, again.remote_count) == (len(store) + 1, len(store) + 1)
    assert push(project, endpoint, replace=True).remote_count == len(store)  # replace drops the extra triple


def test_push_to_a_graph_that_holds_triples_needs_replace_or_append(virtuoso, project):
    endpoint = fresh_endpoint(virtuoso)
    endpoint.update('INSERT DATA { <https://example.org/other> <https://example.org/p> "kept" }')
    with pytest.raises(UsageError, match=r"already holds 1 triples\. Push with --replace .* or --append .* Nothing was sent"):
        push(project, endpoint)
    assert endpoint.count_triples() == 1


def test_push_allows_for_numbers_stored_by_value(virtuoso, project_copy):
    (project_copy.data_dir / "numbers.ttl").write_text(
        "<https://example.org/thing> <https://example.org/ratio> 2, 2.0, 2E0, 1.5 .\n", encoding="utf-8")
    local = len(open_store(project_copy))
    result = push(project_copy, fresh_endpoint(virtuoso), replace=True)
    assert result == PushResult(sent=local, remote_count=local - 2, before=0)  # Virtuoso keeps one 2 of three types


def test_push_that_loses_triples_is_an_error(virtuoso, project):
    class Lossy(Endpoint):
        """A client whose upload silently drops ten triples, as a failing proxy might."""

        def upload(self, triples, **options):
            return super().upload(list(triples)[:-10], **options) + 10

    endpoint = fresh_endpoint(virtuoso, Lossy)
    with pytest.raises(EndpointError, match=r"did not arrive whole: \d+ triples were sent .* now counts \d+"):
        push(project, endpoint, replace=True)


def test_push_to_an_unreachable_endpoint_fails_fast_naming_it(project):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    endpoint = Endpoint(url, graph="https://w3id.org/ipckg/graph/test-unreachable", timeout=10)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=re.escape(url)):
        push(project, endpoint, replace=True)
    with pytest.raises(EndpointError, match=re.escape(url)):
        add_remote(project, endpoint, [REPO / "data" / "entities.ttl"])
    assert time.monotonic() - started < 5


def test_push_then_export_round_trips_the_graph(pushed, local):
    exported = serialize_graph(pushed.triples(), "turtle")  # what `ipckg export --endpoint` writes
    back = list(ox.parse(exported, format=ox.RdfFormat.TURTLE))
    assert len(back) == len(local)
    assert {t.object.value for t in back if isinstance(t.object, ox.NamedNode)
            and t.object.value.startswith(GENID)}, "quantity values should arrive as skolem IRIs"
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in back)
    assert_same_graph(local.triples(), [q.triple for q in back])


def test_validation_knows_the_skolem_namespace():
    assert VALIDATION_GENID == GENID


# -- the saved queries on both engines ----------------------------------------------------------


@pytest.mark.parametrize("path", saved_query_cases())
def test_saved_query_gives_the_same_answer_on_virtuoso(project, local, pushed, path):
    saved = load_query(path)
    bindings = saved.bind(SAMPLE_PARAMETERS.get(saved.name, {}))
    assert answer(pushed, saved, bindings) == answer(local, saved, bindings)


def test_every_local_saved_query_is_compared(project):
    names = {q.name for q in saved_queries(project)}
    assert FEDERATED <= names
    checks = len(list((REPO / "queries" / "checks").glob("*.rq")))
    assert len(saved_query_cases()) == len(names) - len(FEDERATED) + checks


def test_federated_query_on_virtuoso_is_a_clean_error(project, pushed, wikidata_copy):
    saved = find_query(project, "city-coordinates")
    with pytest.raises(EndpointError, match="SP031"):
        pushed.query(saved.sparql, saved.bind({"wikidata": wikidata_copy.query_url}))


def test_stats_and_quality_checks_agree_on_virtuoso(project, local, pushed):
    assert graph_stats(pushed).as_dict() == graph_stats(local).as_dict()
    here, there = run_quality_checks(project, local), run_quality_checks(project, pushed)
    assert [c.name for c in there.checks] == [c.name for c in check_queries(project)]
    assert there.report.conforms == here.report.conforms
    assert there.failed == here.failed

    def results(report):
        return Counter((r.severity, r.message, ANONYMOUS if r.focus.startswith(("_:", GENID)) else r.focus)
                       for r in report.results)
    assert results(there.report) == results(here.report)


# -- add --endpoint -----------------------------------------------------------------------------

PREFIXES = """\
@prefix ipc:     <https://w3id.org/ipckg/ontology#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix qudt:    <http://qudt.org/schema/qudt/> .
@prefix unit:    <http://qudt.org/vocab/unit/> .
@prefix project: <https://w3id.org/ipckg/project/> .
@prefix organisation: <https://w3id.org/ipckg/organisation/> .
@prefix source:  <https://w3id.org/ipckg/source/> .
@prefix claim:   <https://w3id.org/ipckg/claim/> .
"""

# A preferred claim: the current view of KANUPP-2's capacity (two normal claims of
# 1,100 MW) becomes this one value.  One triple is already in the graph.
PREFERRED_CAPACITY = PREFIXES + """
project:kanupp-2 a ipc:NuclearPowerProject .

claim:test-kanupp-2-gross-capacity a ipc:Claim ;
    rdf:subject project:kanupp-2 ;
    rdf:predicate ipc:electricCapacity ;
    rdf:object [ a qudt:QuantityValue ; qudt:numericValue 1145.50 ; qudt:unit unit:MegaW ] ;
    prov:wasAttributedTo organisation:nei-magazine ;
    prov:wasDerivedFrom source:nei-magazine-kanupp-2 ;
    ipc:quote "gross capacity of 1,145.5 MWe" ;
    ipc:locator "test, paragraph 1" ;
    ipc:statedAs "1 145,5 MWe brut — 毛容量"@fr ;
    ipc:rankReason "A test preference for the gross figure."@en ;
    ipc:rank ipc:PreferredRank .
"""

# The same kind of claim without its source document: a violation.
UNSOURCED = PREFIXES + """
claim:test-kanupp-2-unsourced-capacity a ipc:Claim ;
    rdf:subject project:kanupp-2 ;
    rdf:predicate ipc:electricCapacity ;
    rdf:object [ a qudt:QuantityValue ; qudt:numericValue 900 ; qudt:unit unit:MegaW ] ;
    prov:wasAttributedTo organisation:nei-magazine ;
    ipc:quote "900 MWe" ;
    ipc:locator "nowhere" ;
    ipc:rankReason "Unsourced."@en ;
    ipc:rank ipc:PreferredRank .
"""

CAPACITY_VIEW = f"""SELECT ?quantity ?number WHERE {{
  <{KANUPP}> <{IPC}electricCapacity> ?quantity .
  ?quantity <http://qudt.org/schema/qudt/numericValue> ?number }}"""


def capacity_view(graph) -> list[tuple[str, Decimal]]:
    return sorted((row["quantity"].value, Decimal(row["number"].value)) for row in graph.query(CAPACITY_VIEW))


@pytest.fixture
def remote_copy(virtuoso, project_copy):
    """A writable copy of the project, pushed to its own graph."""
    endpoint = fresh_endpoint(virtuoso)
    push(project_copy, endpoint, replace=True)
    return project_copy, endpoint


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_add_remote_writes_a_conforming_claim_and_its_current_view(remote_copy, tmp_path):
    project, endpoint = remote_copy
    before = capacity_view(endpoint)
    assert [number for _, number in before] == [Decimal(1100), Decimal(1100)]
    file = write(tmp_path, "kanupp-2-gross-capacity.ttl", PREFERRED_CAPACITY)
    count = endpoint.count_triples()

    result = add_remote(project, endpoint, [file])
    assert result.accepted and result.report.conforms, result.report.to_text()
    assert result.written == [project.data_dir / "added" / file.name]  # recorded locally as well
    assert result.written[0].read_bytes() == file.read_bytes()
    assert result.already_present == 1 and len(result.new_triples) == 14
    assert result.remote_counts == (count, count + 14 - 2 + 1)

    after = capacity_view(endpoint)
    assert [number for _, number in after] == [Decimal("1145.5")]
    assert after[0][0].startswith(GENID)
    old = {quantity for quantity, _ in before}
    assert not old & {quantity for quantity, _ in after}, "the outranked values left the current view"
    claimed = {row["o"].value for row in endpoint.query(
        "SELECT ?o WHERE { ?claim <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }")}
    assert old <= claimed, "the outranked claims keep their values"
    assert endpoint.count_triples() == count + 14 - 2 + 1  # new triples, old view out, new view in
    same = write(tmp_path, "same-again.ttl", PREFERRED_CAPACITY)
    again = add_remote(project, endpoint, [same], dry_run=True)  # typed and tagged literals match by value
    assert again.already_present == 11 and len(again.new_triples) == 4  # only the quantity's blank node is new

    # The remote write gives the graph a local add gives, and a push --replace keeps it.
    assert_same_graph(open_store(project).triples(), endpoint.triples())
    held = endpoint.count_triples()
    assert push(project, endpoint, replace=True).remote_count == held
    assert [number for _, number in capacity_view(endpoint)] == [Decimal("1145.5")]
    with pytest.raises(UsageError, match="already exists"):  # the name is taken, locally and so remotely
        add_remote(project, endpoint, [file])


def test_add_remote_rejects_a_claim_without_source_and_writes_nothing(remote_copy, tmp_path):
    project, endpoint = remote_copy
    file = write(tmp_path, "unsourced.ttl", UNSOURCED)
    count, dump = endpoint.count_triples(), triple_values(endpoint.triples())

    result = add_remote(project, endpoint, [file])
    assert not result.accepted and not result.report.conforms
    violations = [r for r in result.report.results if r.severity == "Violation"]
    assert any(r.path == PROV_DERIVED and r.focus.endswith("test-kanupp-2-unsourced-capacity")
               and r.file == str(file) for r in violations), result.report.to_text()
    assert result.written == []
    assert endpoint.count_triples() == count
    assert triple_values(endpoint.triples()) == dump

    def seen(report):
        return sorted((r.severity, r.message, r.path, r.file, r.line,
                       ANONYMOUS if r.focus.startswith(("_:", GENID)) else r.focus) for r in report.results)
    local_report, _ = validate_files(open_store(project), project, [file])
    assert seen(result.report) == seen(local_report), "the server's context validates as the store's does"


def test_add_remote_too_large_for_one_update_is_refused_whole(remote_copy, tmp_path):
    project, endpoint = remote_copy
    labels = ", ".join(f'"test name {i}"@en' for i in range(1500))
    file = write(tmp_path, "many-names.ttl", PREFIXES + f"project:kanupp-2 <http://www.w3.org/2004/02/skos/core#altLabel> {labels} .\n")
    count = endpoint.count_triples()
    with pytest.raises(EndpointError, match=r"too large .* nothing was written. Split the files"):
        add_remote(project, endpoint, [file])
    assert endpoint.count_triples() == count


def test_add_remote_dry_run_writes_nothing(remote_copy, tmp_path):
    project, endpoint = remote_copy
    file = write(tmp_path, "kanupp-2-gross-capacity.ttl", PREFERRED_CAPACITY)
    count, dump = endpoint.count_triples(), triple_values(endpoint.triples())

    result = add_remote(project, endpoint, [file], dry_run=True)
    assert result.accepted and len(result.new_triples) == 14 and result.already_present == 1
    assert result.written == []
    assert endpoint.count_triples() == count
    assert triple_values(endpoint.triples()) == dump


def test_a_read_command_never_writes_to_the_server(virtuoso, pushed):
    """A CLEAR sent as a query once emptied the test server's graph while ipckg said the answer was malformed."""
    from click.testing import CliRunner

    from ipckg.cli import cli

    before = pushed.count_triples()
    for update in (f"CLEAR GRAPH <{pushed.graph}>", "DROP ALL", f"DELETE WHERE {{ GRAPH <{pushed.graph}> {{ ?s ?p ?o }} }}"):
        result = CliRunner().invoke(cli, ["sparql", update, "--endpoint", virtuoso.sparql_url, "--graph", pushed.graph])
        assert result.exit_code == 2 and "querying only reads: nothing was sent or changed" in result.output
    assert pushed.count_triples() == before > 5000


def test_push_on_the_command_line_reports_what_changed_and_a_second_push_needs_a_flag(virtuoso, project):
    from click.testing import CliRunner

    from ipckg.cli import cli

    endpoint = fresh_endpoint(virtuoso)
    total = len(open_store(project))

    def push_command(*flags):
        return CliRunner().invoke(cli, ["--project", str(project.root), "push", "--endpoint", virtuoso.sparql_url,
                                        "--graph", endpoint.graph, *flags])

    first = push_command()
    assert first.exit_code == 0, first.output
    assert first.output.endswith(f"Uploaded {total} triples; the remote graph held 0 before and holds {total} now "
                                 f"(+{total}).\n")
    refused = push_command()
    assert refused.exit_code == 2
    assert f"already holds {total} triples. Push with --replace" in refused.output
    appended = push_command("--append")
    assert appended.exit_code == 0
    assert appended.output.endswith(f"the remote graph held {total} before and holds {total} now (+0).\n")


def test_check_on_a_server_says_how_many_triples_it_checked(virtuoso, project, pushed, local):
    from click.testing import CliRunner

    from ipckg.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(project.root), "check", "--endpoint", virtuoso.sparql_url,
                                      "--graph", pushed.graph])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"Checked the {len(local)} triples that the graph <{pushed.graph}> at "
                                  f"{virtuoso.sparql_url} holds.\nAll checks passed.\n")
