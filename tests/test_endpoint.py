"""ipckg.endpoint against a real, private Virtuoso (no server mocks)."""

from __future__ import annotations

import http.server
import threading
import time
import uuid
from decimal import Decimal

import pyoxigraph as ox
import pytest

from ipckg.endpoint import GENID, Endpoint, skolemise
from ipckg.errors import EndpointError, UsageError
from servers import free_port, virtuoso_server

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"
NUMERIC = {XSD + t for t in ("double", "float", "decimal", "integer", "int", "long")}


def iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def fresh_graph() -> str:
    return f"{EX}graph/{uuid.uuid4().hex}"


def value_key(term):
    """Compare terms by value: Virtuoso stores numbers by value and lower-cases language tags."""
    if isinstance(term, ox.Literal):
        if term.datatype.value in NUMERIC:
            return ("num", term.datatype.value, Decimal(term.value))
        return ("lit", term.value, term.datatype.value, (term.language or "").lower())
    return (type(term).__name__, term.value)


def triple_keys(triples):
    return {tuple(value_key(t) for t in (tr.subject, tr.predicate, tr.object)) for tr in triples}


def sample(n: int = 12) -> list[ox.Triple]:
    """Plain IRIs and literals of several kinds, values distinct per subject and predicate."""
    out = []
    for i in range(n):
        s = iri(f"s{i}")
        out += [
            ox.Triple(s, iri("label"), ox.Literal(f"thing {i}", language="en")),
            ox.Triple(s, iri("weight"), ox.Literal(f"{i}.25", datatype=ox.NamedNode(XSD + "decimal"))),
            ox.Triple(s, iri("ratio"), ox.Literal(f"{i}.5E0", datatype=ox.NamedNode(XSD + "double"))),
            ox.Triple(s, iri("next"), iri(f"s{i + 1}")),
        ]
    return out


@pytest.fixture(scope="module")
def virtuoso_low(tmp_path_factory):
    """An instance capping answers at 5 rows and sorted TOP at 8, as strict public endpoints do."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-low"), max_rows=5,
                         settings={"Parameters": {"MaxSortedTopRows": "8"}}) as server:
        yield server


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    monkeypatch.delenv("IPCKG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("IPCKG_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


@pytest.fixture
def loaded(virtuoso, no_credentials):
    """A scoped endpoint over a fresh graph holding sample()."""
    ep = Endpoint(virtuoso.sparql_url, graph=fresh_graph(), timeout=20)
    ep.upload(sample(), replace=True)
    return ep


def test_select_rows_and_values(loaded):
    rows = list(loaded.query(f"SELECT ?s ?w WHERE {{ ?s <{EX}weight> ?w }} ORDER BY ?w"))
    assert len(rows) == 12
    assert rows[0]["s"] == iri("s0")
    assert rows[3]["w"].datatype.value == XSD + "decimal" and Decimal(rows[3]["w"].value) == Decimal("3.25")
    solutions = loaded.query("SELECT ?label WHERE { <http://example.org/s2> ?p ?label FILTER(isLiteral(?label)"
                             " && lang(?label) = 'en') }")
    assert [v.value for v in solutions.variables] == ["label"]
    assert [r["label"] for r in solutions] == [ox.Literal("thing 2", language="en")]


def test_select_blank_nodes(virtuoso, no_credentials):
    ep = Endpoint(virtuoso.sparql_url, graph=fresh_graph())
    ep.update("INSERT { _:b <http://example.org/p> 1 . _:b <http://example.org/q> 2 } WHERE { }")
    rows = list(ep.query("SELECT ?s ?o WHERE { ?s ?p ?o }"))
    assert len(rows) == 2 and all(isinstance(r["s"], ox.BlankNode) for r in rows)
    assert rows[0]["s"] == rows[1]["s"]


def test_ask(loaded):
    assert bool(loaded.query(f"ASK {{ <{EX}s1> <{EX}next> <{EX}s2> }}")) is True
    assert bool(loaded.query(f"ASK {{ <{EX}s2> <{EX}next> <{EX}s1> }}")) is False


def test_construct_keeps_datatypes_and_languages(loaded):
    got = loaded.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}s3>) }}")
    assert all(isinstance(t, ox.Triple) for t in got)
    objects = {t.predicate.value.removeprefix(EX): t.object for t in got}
    assert objects["ratio"].datatype.value == XSD + "double" and float(objects["ratio"].value) == 3.5
    assert objects["weight"].datatype.value == XSD + "decimal" and Decimal(objects["weight"].value) == Decimal("3.25")
    assert objects["label"] == ox.Literal("thing 3", language="en")
    assert objects["next"] == iri("s4")


def test_graph_scoping(virtuoso, loaded):
    other = Endpoint(virtuoso.sparql_url, graph=fresh_graph())
    other.upload([ox.Triple(iri("elsewhere"), iri("p"), ox.Literal("hidden"))], replace=True)
    assert loaded.count_triples() == len(sample())
    assert bool(loaded.query(f"ASK {{ <{EX}elsewhere> ?p ?o }}")) is False
    assert other.count_triples() == 1
    system = "ASK { ?s a <http://www.openlinksw.com/schemas/virtrdf#QuadMapFormat> }"
    assert bool(Endpoint(virtuoso.sparql_url).query(system)) is True  # unscoped sees system graphs
    assert bool(loaded.query(system)) is False


def test_upload_chunks_keep_blank_nodes(virtuoso, no_credentials):
    ep = Endpoint(virtuoso.sparql_url, graph=fresh_graph())
    b = ox.BlankNode("shared")
    data = [ox.Triple(b, iri("first"), ox.Literal("start"))]
    data += [ox.Triple(iri(f"filler{i}"), iri("p"), ox.Literal(str(i))) for i in range(20)]
    data += [ox.Triple(iri("holder"), iri("has"), b), ox.Triple(b, iri("last"), ox.Literal("end"))]
    progress: list[int] = []
    assert ep.upload(data, replace=True, chunk_size=5, progress=progress.append) == 23
    assert progress == [5, 10, 15, 20, 23]
    assert ep.count_triples() == 23
    rows = list(ep.query(f"SELECT ?b WHERE {{ ?b <{EX}first> 'start' . <{EX}holder> <{EX}has> ?b . ?b <{EX}last> 'end' }}"))
    assert len(rows) == 1 and rows[0]["b"].value.startswith(GENID)
    # replace really replaces
    assert ep.upload(data[1:4], replace=True, chunk_size=2) == 3
    assert ep.count_triples() == 3
    assert ep.upload([], replace=True) == 0
    assert ep.count_triples() == 0


def test_skolemise_names_blank_nodes_by_content_the_same_on_every_call():
    def quantity(claim: str, number: str) -> list[ox.Triple]:
        b = ox.BlankNode()  # a fresh label every time, as every parse gives
        return [ox.Triple(iri(claim), iri("object"), b), ox.Triple(b, iri("value"), ox.Literal(number))]

    first = list(skolemise(quantity("c1", "5") + quantity("c2", "5")))
    again = list(skolemise(quantity("c1", "5") + quantity("c2", "5")))
    assert first == again  # stable across calls: pushing twice adds nothing
    assert first[0].object == first[1].subject and first[0].object.value.startswith(GENID)
    assert first[0].object != first[2].object  # the same number under another claim is another node
    assert list(skolemise(quantity("c1", "6")))[0].object != first[0].object
    loop = ox.BlankNode()
    out = list(skolemise([ox.Triple(loop, iri("p"), loop), ox.Quad(iri("s"), iri("p"), loop, iri("g"))]))
    assert out[0].subject == out[0].object == out[1].object and isinstance(out[1], ox.Triple)


def test_triples_round_trip(loaded):
    got = loaded.triples()
    assert len(got) == len(sample())
    assert triple_keys(got) == triple_keys(sample())


def test_update_inserts_into_scoped_graph(loaded):
    loaded.update(f'INSERT DATA {{ <{EX}new> <{EX}p> "added" }}')
    assert loaded.count_triples() == len(sample()) + 1
    assert bool(loaded.query(f'ASK {{ <{EX}new> <{EX}p> "added" }}'))
    with pytest.raises(UsageError):
        loaded.update("SELECT * WHERE { ?s ?p ?o }")


def test_row_cap_truncation_is_detected(virtuoso_low, no_credentials):
    ep = Endpoint(virtuoso_low.sparql_url, graph=fresh_graph())
    data = sample(3)  # 12 triples against a cap of 5
    ep.upload(data, replace=True)
    with pytest.raises(EndpointError, match="truncated") as e:
        ep.query("SELECT * WHERE { ?s ?p ?o }")
    assert virtuoso_low.sparql_url in str(e.value) and "5 rows" in str(e.value)
    with pytest.raises(EndpointError, match="truncated"):
        ep.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # Virtuoso sends no header here
    assert len(list(ep.query("SELECT * WHERE { ?s ?p ?o } LIMIT 4"))) == 4
    assert len(ep.query(f"CONSTRUCT WHERE {{ <{EX}s0> ?p ?o }}")) == 4
    assert ep.count_triples() == 12
    assert triple_keys(ep.triples()) == triple_keys(data)  # pages under the cap and past MaxSortedTopRows


def test_timeout_partial_answer_is_detected(virtuoso, no_credentials):
    # `timeout` (ms) asks Virtuoso for an "anytime" answer: HTTP 200 with partial results.
    ep = Endpoint(virtuoso.sparql_url + "?timeout=300", graph=fresh_graph())
    ep.upload([ox.Triple(iri(f"s{i % 20}"), iri(f"p{i % 7}"), ox.Literal(str(i))) for i in range(400)])
    with pytest.raises(EndpointError, match="truncated.*S1TAT"):
        ep.query("SELECT ?b (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
                 "FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) > 3) } GROUP BY ?b")


def test_unreachable_endpoint_fails_fast(no_credentials):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    start = time.monotonic()
    with pytest.raises(EndpointError, match="connection refused") as e:
        Endpoint(url, timeout=2, retries=1).query("ASK {}")
    assert url in str(e.value)
    assert time.monotonic() - start < 2


def test_malformed_sparql_reports_server_message(virtuoso, no_credentials):
    with pytest.raises(EndpointError) as e:
        Endpoint(virtuoso.sparql_url).query("SELECT * WHERE { ?s ?p }")
    message = str(e.value)
    assert "HTTP 400" in message and "SP030" in message and virtuoso.sparql_url in message
    assert "SPARQL query:" not in message  # the echoed query is trimmed


def test_graph_store_error_is_reported_without_retrying(virtuoso, no_credentials):
    start = time.monotonic()
    with pytest.raises(EndpointError, match="HTTP 500.*not configured to have default graph") as e:
        Endpoint(virtuoso.sparql_url).upload([ox.Triple(iri("s"), iri("p"), iri("o"))])  # no graph
    assert virtuoso.gsp_url in str(e.value) and "<" not in str(e.value)
    assert time.monotonic() - start < 0.5


def test_credentials_never_in_errors(virtuoso, monkeypatch, tmp_path):
    monkeypatch.setenv("IPCKG_ENDPOINT_USER", "nobody-user")
    monkeypatch.setenv("IPCKG_ENDPOINT_PASSWORD", "Sup3r-Secret-pw")
    ep = Endpoint(virtuoso.sparql_url, retries=0)
    assert ep.url.endswith("/sparql-auth") and ep.gsp_url.endswith("/sparql-graph-crud-auth")
    with pytest.raises(EndpointError) as e:
        ep.query("ASK {}")
    assert "401" in str(e.value)
    closed = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(EndpointError) as e2:
        Endpoint(closed, timeout=2, retries=0).upload([ox.Triple(iri("s"), iri("p"), iri("o"))])
    with pytest.raises(UsageError) as e3:
        Endpoint(closed.replace("//", "//nobody-user:Sup3r-Secret-pw@"))
    for err in (e.value, e2.value, e3.value):
        assert "Sup3r-Secret-pw" not in str(err) and "nobody-user" not in str(err)


def test_digest_auth_from_netrc(virtuoso, monkeypatch, tmp_path):
    user = f"ipckg_{uuid.uuid4().hex[:8]}"
    virtuoso.isql(f"DB.DBA.USER_CREATE('{user}', 'pw-{user}');\nGRANT SPARQL_UPDATE TO \"{user}\";")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {user} password pw-{user}\n")
    netrc.chmod(0o600)
    monkeypatch.delenv("IPCKG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("IPCKG_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    ep = Endpoint(virtuoso.sparql_url, graph=fresh_graph())
    assert ep.url.endswith("/sparql-auth")
    big = [ox.Triple(iri(f"s{i}"), iri("p"), ox.Literal("x" * 100)) for i in range(5000)]
    assert ep.upload(big, replace=True) == 5000
    ep.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }}")
    assert ep.count_triples() == 5001


class _Fake(http.server.BaseHTTPRequestHandler):
    """A misbehaving service: /flaky drops the connection, then answers 503, then succeeds;
    /slow takes 2 s; /garbage sends broken JSON.  Records User-Agent headers."""

    calls: list[str] = []

    def _send(self, status: int, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.calls.append(self.headers.get("User-Agent", ""))
        if self.path.startswith("/slow"):
            time.sleep(2)
        if self.path.startswith("/garbage"):
            return self._send(200, b'{"head": {"vars": [', "application/sparql-results+json")
        if self.path.startswith("/flaky") and len(self.calls) == 1:
            self.close_connection = True  # no response at all: the client sees a dropped connection
            return
        if self.path.startswith("/flaky") and len(self.calls) == 2:
            return self._send(503, b"busy")
        self._send(200, b'{"head": {}, "boolean": true}', "application/sparql-results+json")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake(no_credentials):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    _Fake.calls = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_retries_after_reset_and_503(fake):
    assert bool(Endpoint(fake + "/flaky/sparql", retries=3, backoff=0.01).query("ASK {}")) is True
    assert len(_Fake.calls) == 3 and all(ua.startswith("ipckg/") for ua in _Fake.calls)
    _Fake.calls = []
    with pytest.raises(EndpointError, match="2 times.*503"):
        Endpoint(fake + "/flaky/sparql", retries=1, backoff=0.01).query("ASK {}")


def test_client_timeout(fake):
    start = time.monotonic()
    with pytest.raises(EndpointError, match="within 0.3 s"):
        Endpoint(fake + "/slow/sparql", timeout=0.3).query("ASK {}")
    assert time.monotonic() - start < 1.5


def test_malformed_answer(fake):
    with pytest.raises(EndpointError, match="malformed") as e:
        Endpoint(fake + "/garbage/sparql").query("ASK {}")
    assert fake in str(e.value)
