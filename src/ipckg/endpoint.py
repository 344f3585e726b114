"""Client for a remote SPARQL 1.1 Protocol and Graph Store HTTP Protocol service.

Queries and updates go through SPARQLWrapper, the project's SPARQL client: its
``QueryResult`` exposes the HTTP status and headers, which truncation detection
needs.  SPARQLWrapper has no Graph Store Protocol, so uploads use requests.

Written against Virtuoso (the usual public endpoint) but protocol-standard.
Virtuoso behaviours handled here, all verified against Virtuoso 7.2.5:

* ``ResultSetMaxRows`` silently caps answers.  A capped SELECT carries the
  header ``X-SPARQL-MaxRows: N`` (sent whenever the answer reached N rows).
  A capped CONSTRUCT carries no header at all and stops after N + 1 distinct
  triples, so a graph answer with more than N triples is treated as
  truncated, N being learnt once with a cheap probe SELECT.
* A query interrupted by the "anytime" timeout is answered with HTTP 200,
  partial results and ``X-SQL-State: S1TAT`` plus ``X-SQL-Message``.  The hard
  ``MaxQueryExecutionTime`` limit instead gives HTTP 500 ``SR171``.
* Numeric literals are stored by value: ``"1.50"^^xsd:decimal`` comes back as
  ``"1.5"``, equal numbers of different types in one graph collapse into
  one, and language tags come back lower-cased.
* ``INSERT DATA`` rejects blank nodes and separate Graph Store requests do not
  share blank-node scope, so callers must skolemise (see :func:`skolemise`);
  :meth:`Endpoint.upload` does it for them.
* Authenticated access lives at ``/sparql-auth`` and
  ``/sparql-graph-crud-auth`` with HTTP digest auth (realm ``SPARQL``).

Credentials come only from ``IPCKG_ENDPOINT_USER``/``IPCKG_ENDPOINT_PASSWORD``
or ``~/.netrc`` (``$NETRC`` if set) and never appear in error messages.  With
credentials, SPARQLWrapper installs a process-wide urllib opener for digest
auth; that is its design, not ours.
"""

from __future__ import annotations

import ast
import hashlib
import html
import http.client
import itertools
import json
import netrc
import os
import re
import time
import urllib.error
import urllib.parse
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
import requests
from requests.auth import HTTPDigestAuth
from SPARQLWrapper import DIGEST, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from . import __version__
from .errors import EndpointError, UsageError
from .sparql import query_form, refuse_update, with_prefixes, with_values

GENID = "https://w3id.org/ipckg/.well-known/genid/"
USER_AGENT = f"ipckg/{__version__} (+https://w3id.org/ipckg/)"
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"

_WRAPPER_STATUS = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414,
                   EndPointInternalError: 500}


def skolem_names(triples: Iterable[ox.Triple | ox.Quad]) -> dict[str, ox.NamedNode]:
    """An IRI under GENID for each blank node, derived from its content, so that pushing twice is idempotent.

    A blank node's name hashes where it hangs (the subjects and predicates
    pointing at it, a blank parent by its own anchor) and what it says (its
    predicates and objects, a blank object by its name).  The same quantity
    under the same claim gets the same IRI on every push and every machine.
    """
    incoming: dict[str, list[tuple]] = defaultdict(list)
    outgoing: dict[str, list[tuple]] = defaultdict(list)
    for t in triples:
        t = t.triple if isinstance(t, ox.Quad) else t
        if isinstance(t.subject, ox.BlankNode):
            outgoing[t.subject.value].append((t.predicate, t.object))
        if isinstance(t.object, ox.BlankNode):
            incoming[t.object.value].append((t.subject, t.predicate))
    anchors: dict[str, str] = {}
    names: dict[str, ox.NamedNode] = {}

    def ref(term: Any, seen: frozenset, how: Callable) -> str:
        if not isinstance(term, ox.BlankNode):
            return str(term)
        return "_:cycle" if term.value in seen else str(how(term.value, seen))  # cycles: rare, named per push

    def anchor(node: str, seen: frozenset = frozenset()) -> str:
        if node not in anchors:
            anchors[node] = "\n".join(sorted(f"{ref(s, seen | {node}, anchor)} {p}" for s, p in incoming[node]))
        return anchors[node]

    def name(node: str, seen: frozenset = frozenset()) -> ox.NamedNode:
        if node not in names:
            said = "\n".join(sorted(f"{p} {ref(o, seen | {node}, name)}" for p, o in outgoing[node]))
            names[node] = ox.NamedNode(GENID + hashlib.sha256(f"{anchor(node)}\n--\n{said}".encode()).hexdigest()[:32])
        return names[node]

    for node in {*incoming, *outgoing}:
        name(node)
    return names


def skolemise(triples: Iterable[ox.Triple | ox.Quad], names: dict[str, ox.NamedNode] | None = None
              ) -> Iterator[ox.Triple]:
    """Replace blank nodes by their `skolem_names` (computed here unless given); quads lose their graph.

    Needed because Virtuoso rejects blank nodes in INSERT DATA and because each
    Graph Store request is its own blank-node scope: without skolemising, a
    blank node split across two upload chunks would become two nodes.
    """
    if names is None:
        triples = list(triples)
        names = skolem_names(triples)

    def term(t: Any) -> Any:
        return names[t.value] if isinstance(t, ox.BlankNode) else t

    for t in triples:
        t = t.triple if isinstance(t, ox.Quad) else t
        yield ox.Triple(term(t.subject), t.predicate, term(t.object))


@dataclass
class _Response:
    status: int
    headers: Any
    body: bytes
    url: str = ""

    def header(self, name: str) -> str | None:
        value = self.headers.get(name) if self.headers is not None else None
        return value.strip() if isinstance(value, str) else None


class _Transient(Exception):
    """A failure worth retrying: 429, 5xx or a dropped connection."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _safe_url(url: str) -> str:
    """The URL without user:password@, fit for messages."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _require_http(what: str, iri: str, example: str) -> None:
    """Refuse anything but an absolute http(s) IRI before it reaches a request or a query text.

    A graph IRI ends up inside ``GRAPH <...>``: a '>' in it would end the IRI
    and let the rest run as SPARQL.
    """
    parts = urllib.parse.urlsplit(iri)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        shown = iri if len(iri) <= 80 else iri[:79] + "…"
        raise UsageError(f"The {what} {shown!r} is not an absolute http:// or https:// IRI; give one such as "
                         f"{example}. Nothing was sent.")
    if bad := _IRI_FORBIDDEN.search(iri):
        raise UsageError(f"The {what} {_safe_url(iri)!r} holds the character {bad.group()!r}, which no IRI "
                         "may contain; nothing was sent.")


def _credentials(url: str) -> tuple[str, str] | None:
    """User and password from the environment, else from netrc for the URL's host."""
    user, password = os.environ.get("IPCKG_ENDPOINT_USER"), os.environ.get("IPCKG_ENDPOINT_PASSWORD")
    if user and password is not None:
        return user, password
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    try:
        entry = netrc.netrc(path).authenticators(host)
    except FileNotFoundError:
        return None
    except (netrc.NetrcParseError, OSError) as e:
        line = getattr(e, "lineno", None)  # not the message: it may quote a password
        raise EndpointError(f"Could not read credentials for {host} from {path}"
                            f"{f' (line {line})' if line else ''}: check its syntax and that it is "
                            "readable by you only (chmod 600).") from None
    if entry and entry[0] and entry[2] is not None:
        return entry[0], entry[2]
    return None


def _with_path(url: str, path: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _server_message(body: bytes, limit: int = 400) -> str:
    """The useful part of an error body: tags stripped, echoed query dropped, trimmed."""
    text = body.decode("utf-8", "replace")
    if "<" in text and re.search(r"</?(html|body|h\d|p|xmp|pre)\b", text, re.I):
        text = re.sub(r"(?is)<(head|title|h1)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.split(r"\n\s*SPARQL query:", text)[0]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrapped_body(exc: SPARQLWrapperException) -> bytes:
    """The response body SPARQLWrapper folded into its message as a bytes repr."""
    m = re.search(r"Response:\n(b(['\"]).*\2)\s*$", str(exc), re.S)
    if not m:
        return b""
    try:
        return ast.literal_eval(m.group(1))
    except (ValueError, SyntaxError):
        return m.group(1).encode()


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests and urllib nest deeply)."""
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None), *e.args]


def _retry_after(value: str | None) -> float | None:
    try:
        return min(float(value), 60.0) if value else None
    except ValueError:
        return None


def _fix_bnodes(data: dict[str, Any]) -> None:
    """Make Virtuoso's ``nodeID://b123`` blank-node labels valid for pyoxigraph (``b123``)."""
    for row in data.get("results", {}).get("bindings", []):
        for value in row.values():
            if isinstance(value, dict) and value.get("type") == "bnode":
                label = str(value.get("value", "")).removeprefix("nodeID://").removeprefix("_:")
                value["value"] = re.sub(r"[^A-Za-z0-9_]", "_", label) or "b"


class Endpoint:
    """A remote SPARQL service, optionally scoped to one named graph.

    Every failure raises :class:`EndpointError` naming the endpoint; answers cut
    short by the server's row cap or timeout raise instead of being returned.
    """

    def __init__(
        self,
        url: str,
        *,
        graph: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        user_agent: str | None = None,
        gsp_url: str | None = None,
        backoff: float = 0.5,
    ):
        _require_http("endpoint URL", url, "http://127.0.0.1:8890/sparql")
        if graph is not None:
            _require_http("graph IRI", graph, "https://w3id.org/ipckg/graph")
        if gsp_url is not None:
            _require_http("Graph Store URL", gsp_url, "http://127.0.0.1:8890/sparql-graph-crud")
        parts = urllib.parse.urlsplit(url)
        if parts.username or parts.password:
            raise UsageError(f"Credentials in the endpoint URL {_safe_url(url)} are not accepted; set "
                             "IPCKG_ENDPOINT_USER and IPCKG_ENDPOINT_PASSWORD or use ~/.netrc.")
        self.graph = graph
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.user_agent = user_agent or USER_AGENT
        self._auth = _credentials(url)
        path = urllib.parse.urlsplit(url).path
        if self._auth and path.endswith("/sparql"):
            path += "-auth"
            url = _with_path(url, path)
        self.url = url
        if gsp_url is None and path.endswith(("/sparql", "/sparql-auth")):
            gsp_url = _with_path(url, path.replace("/sparql", "/sparql-graph-crud"))
        elif gsp_url is None and path.endswith("/query"):
            gsp_url = _with_path(url, path[: -len("query")] + "store")  # Oxigraph server layout
        self.gsp_url = gsp_url
        self.update_url = _with_path(url, path[: -len("query")] + "update") if path.endswith("/query") else url
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.user_agent
        if self._auth:
            self._session.auth = HTTPDigestAuth(*self._auth)
        self._cap: int | None = None  # the server's row cap, once learnt
        self._cap_above = 0  # the cap is known to exceed this

    def __repr__(self) -> str:
        return f"Endpoint({_safe_url(self.url)!r}, graph={self.graph!r})"

    # -- public API --------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              prefixes: Mapping[str, str] | None = None,
              ) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """Run a query; SELECT gives QuerySolutions, ASK QueryBoolean, CONSTRUCT/DESCRIBE triples.

        Parameters are bound as for the embedded store (`sparql.with_values`);
        `prefixes` the query uses without declaring them are declared for it.
        Graphs are requested as N-Triples because Virtuoso's Turtle writes
        doubles as bare decimals, which would change their datatype.
        """
        refuse_update(sparql)
        sparql = with_prefixes(with_values(sparql, bindings or {}), prefixes or {})
        form = query_form(sparql) or "SELECT"  # unknown: let the server explain
        if form in ("CONSTRUCT", "DESCRIBE"):
            resp = self._sparql(sparql, N_TRIPLES, form)
            triples = self._parse_triples(resp)
            self._check_complete(resp, len(triples))
            self._check_graph_cap(resp, len(triples))
            return triples
        resp = self._sparql(sparql, SPARQL_JSON, form)
        result, rows = self._parse_results(resp)
        self._check_complete(resp, rows)
        return result

    def update(self, sparql_update: str) -> None:
        """Run a SPARQL Update; with a graph, it is the update's target via ``using-graph-uri``.

        Virtuoso writes ``INSERT DATA {...}`` without GRAPH into that graph;
        other servers may need the graph named in the update itself.
        """
        if query_form(sparql_update):
            raise UsageError("Endpoint.update() was given a query; use Endpoint.query() for SELECT, ASK, "
                             "CONSTRUCT and DESCRIBE.")
        self._sparql(sparql_update, SPARQL_JSON, None)

    def count_triples(self) -> int:
        """Number of triples in the scoped graph (the whole default graph if unscoped)."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        for row in result:  # type: ignore[union-attr]
            n = row["n"]
            if isinstance(n, ox.Literal):
                try:
                    return int(n.value)
                except ValueError:
                    break
        raise EndpointError(f"The SPARQL endpoint {_safe_url(self.url)} answered a triple count "
                            "without a number; the answer is malformed.")

    def upload(
        self,
        triples: Iterable[ox.Triple],
        *,
        replace: bool = False,
        chunk_size: int = 50_000,
        progress: Callable[[int], None] | None = None,
        blank_node_names: dict[str, ox.NamedNode] | None = None,
    ) -> int:
        """Send triples with the Graph Store Protocol; return how many were sent.

        The first chunk is PUT when ``replace`` (so the graph ends up holding
        exactly these triples), every other chunk POSTed.  Blank nodes are
        skolemised (with ``blank_node_names`` if given, from a first pass) so
        that they keep their identity across chunks and pushes.
        ``progress`` is called with the running total after each chunk.
        """
        if not self.gsp_url:
            raise UsageError(f"No Graph Store endpoint known for {_safe_url(self.url)}; pass gsp_url=.")
        if chunk_size < 1:
            raise UsageError("chunk_size must be at least 1.")
        if self._auth:  # finish the digest handshake with a tiny request, see _gsp
            self._gsp("POST", b"")
        sent, method = 0, "PUT" if replace else "POST"
        it = skolemise(triples, blank_node_names)
        while chunk := list(itertools.islice(it, chunk_size)):
            self._gsp(method, ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES))
            sent, method = sent + len(chunk), "POST"
            if progress:
                progress(sent)
        if sent == 0 and replace:
            self._gsp("PUT", b"")
        return sent

    def triples(self, page_size: int = 10_000) -> list[ox.Triple]:
        """The whole scoped graph, checked against COUNT so nothing capped slips through.

        One CONSTRUCT if the server allows it, otherwise ORDER BY/LIMIT/OFFSET
        pages no larger than what the server returned at once (its cap).
        """
        expected = self.count_triples()
        first = self._construct_all("")
        if len(first) == expected:
            return first
        page = max(1, min(page_size, len(first) - 1 if len(first) > 1 else page_size))
        found: set[ox.Triple] = set()
        offset = 0
        while offset < expected:
            # The sort lives in a subquery: Virtuoso refuses ORDER BY with a
            # large OFFSET at top level (SR353, MaxSortedTopRows).
            got = self._construct_all("ORDER BY ?s ?p ?o", limit=page, offset=offset)
            if not got:
                break
            found.update(got)
            offset += len(got)
        if len(found) != expected:
            raise EndpointError(
                f"The SPARQL endpoint {_safe_url(self.url)} counts {expected} triples in "
                f"{self._graph_label()} but paging returned {len(found)}; the graph changed while "
                "it was read or the server truncated the answer.")
        return list(found)

    # -- internals ---------------------------------------------------------

    def _graph_label(self) -> str:
        return f"graph <{self.graph}>" if self.graph else "the default graph"

    def _construct_all(self, order: str, limit: int | None = None, offset: int = 0) -> list[ox.Triple]:
        if order:
            q = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} {order} }} }} "
                 f"LIMIT {limit} OFFSET {offset}")
        else:
            q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        resp = self._sparql(q, N_TRIPLES, "CONSTRUCT")
        triples = self._parse_triples(resp)
        self._check_complete(resp, len(triples))
        return triples

    def _fail(self, message: str, url: str | None = None) -> EndpointError:
        """An EndpointError whose ``{url}`` names the endpoint, with any credential scrubbed out."""
        text = message.replace("{url}", _safe_url(url or self.url))
        if self._auth:
            for secret in self._auth:
                if len(secret) >= 3:
                    text = text.replace(secret, "***")
        return EndpointError(text)

    def _sparql(self, text: str, accept: str, form: str | None) -> _Response:
        """POST a query (form given) or update (form None) through SPARQLWrapper."""
        url = self.url if form else self.update_url
        sw = SPARQLWrapper(url, updateEndpoint=url, agent=self.user_agent)
        sw.setMethod(POST)
        sw.setOnlyConneg(True)
        with warnings.catch_warnings():  # it warns on forms it cannot guess; we set the form below
            warnings.simplefilter("ignore")
            sw.setQuery(text)
        sw.queryType = form or "INSERT"  # our parse, not its keyword search
        sw.timeout = self.timeout  # setTimeout() would round 0.5 s down to "no timeout"
        sw.addCustomHttpHeader("Accept", accept)
        if self.graph:
            sw.addParameter("default-graph-uri" if form else "using-graph-uri", self.graph)
        if self._auth:
            sw.setHTTPAuth(DIGEST)
            sw.setCredentials(*self._auth)

        def attempt() -> _Response:
            try:
                result = sw.query()
            except urllib.error.HTTPError as e:
                return _Response(e.code, e.headers, e.read(), url)
            except SPARQLWrapperException as e:
                return _Response(_WRAPPER_STATUS.get(type(e), 500), None, _wrapped_body(e), url)
            with result.response as r:
                return _Response(r.status, r.headers, r.read(), url)

        return self._retrying(attempt, url, "query" if form else "update")

    def _gsp(self, method: str, body: bytes) -> _Response:
        """One Graph Store request for the scoped graph.

        With digest auth, requests sends the body, receives 401 and resends;
        Virtuoso drops the connection while a large first body is still being
        sent, so upload() first makes an empty POST, after which the session
        authenticates pre-emptively.
        """
        assert self.gsp_url
        params = {"graph": self.graph} if self.graph else {"default": ""}
        url = self.gsp_url

        def attempt() -> _Response:
            r = self._session.request(method, url, params=params, data=body, timeout=self.timeout,
                                      headers={"Content-Type": N_TRIPLES})
            return _Response(r.status_code, r.headers, r.content, url)

        return self._retrying(attempt, url, f"Graph Store {method}")

    def _retrying(self, attempt: Callable[[], _Response], url: str, what: str) -> _Response:
        """Run one HTTP exchange with bounded exponential back-off on 429, 5xx and resets."""
        last: _Transient | None = None
        for i in range(self.retries + 1):
            if last is not None:
                time.sleep(last.retry_after if last.retry_after is not None else self.backoff * 2 ** (i - 1))
            try:
                resp = self._network(attempt, url, what)
                return self._check_status(resp, what)
            except _Transient as e:
                last = e
        assert last is not None
        raise self._fail(f"The SPARQL endpoint {{url}} failed the {what} {self.retries + 1} times: {last}",
                         url)

    def _network(self, attempt: Callable[[], _Response], url: str, what: str) -> _Response:
        """Turn socket-level failures of either HTTP stack into EndpointError or _Transient."""
        try:
            return attempt()
        except (OSError, http.client.HTTPException, requests.RequestException) as exc:
            causes = list(_causes(exc))
            if any(isinstance(c, (TimeoutError, requests.Timeout)) for c in causes) and not any(
                    isinstance(c, ConnectionRefusedError) for c in causes):
                raise self._fail(f"The SPARQL endpoint {{url}} did not answer the {what} within "
                                 f"{self.timeout:g} s.", url) from None
            if any(isinstance(c, ConnectionRefusedError) for c in causes):
                raise self._fail(f"Could not connect to the SPARQL endpoint {{url}}: connection refused. "
                                 "Check the URL and that the server is running.", url) from None
            if any(isinstance(c, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                                  http.client.RemoteDisconnected, http.client.IncompleteRead,
                                  requests.exceptions.ChunkedEncodingError)) for c in causes):
                raise _Transient("the connection was reset") from None
            reason = next((c for c in reversed(causes) if isinstance(c, OSError) and str(c)), exc)
            raise self._fail(f"Could not reach the SPARQL endpoint {{url}}: "
                             f"{_server_message(str(reason).encode())}", url) from None

    def _check_status(self, resp: _Response, what: str) -> _Response:
        if 200 <= resp.status < 300:
            return resp
        message = _server_message(resp.body) or http.client.responses.get(resp.status, "")
        # Virtuoso's own query errors ("Virtuoso 37000 Error ...", or "Error 22023" in its Graph
        # Store HTML) will not go away on retry; deadlocks (40001) and connection errors (08xxx) may.
        m = re.match(r"(?:Virtuoso (\w{5}) Error|Error (\w{5})\b)", message)
        deterministic = m and not (m.group(1) or m.group(2)).startswith(("40001", "08"))
        if resp.status == 429 or (resp.status >= 500 and not deterministic):
            raise _Transient(f"HTTP {resp.status}: {message}", _retry_after(resp.header("Retry-After")))
        hint = " Check IPCKG_ENDPOINT_USER/IPCKG_ENDPOINT_PASSWORD or ~/.netrc." if resp.status in (401, 403) else ""
        raise self._fail(f"The SPARQL endpoint {{url}} rejected the {what} with HTTP {resp.status}: "
                         f"{message}{hint}", resp.url)

    def _check_complete(self, resp: _Response, count: int) -> None:
        """Raise if the server said it cut the answer short (timeout or row cap)."""
        state = resp.header("X-SQL-State")
        if state:
            detail = _server_message((resp.header("X-SQL-Message") or "").split("Activity:")[0].encode(), 200)
            raise self._fail(
                f"The SPARQL endpoint {{url}} truncated its answer: the query hit the server's time limit "
                f"and only partial results came back (X-SQL-State {state}: {detail}). Narrow the query "
                "or raise the server's limit.", resp.url)
        cap = resp.header("X-SPARQL-MaxRows")
        if cap and cap.isdigit():
            self._cap = int(cap)
            if count >= int(cap):
                raise self._truncated(resp, int(cap), count)

    def _truncated(self, resp: _Response, cap: int, count: int) -> EndpointError:
        return self._fail(
            f"The SPARQL endpoint {{url}} truncated its answer: it returned {count} results, at or over "
            f"the server's cap of {cap} rows (ResultSetMaxRows), so the answer may be incomplete. Page "
            "with LIMIT/OFFSET or narrow the query.", resp.url)

    def _check_graph_cap(self, resp: _Response, count: int) -> None:
        """Catch Virtuoso's header-less CONSTRUCT cap by learning the row cap with a cheap probe."""
        if not (resp.header("Server") or "").startswith("Virtuoso") or count <= self._cap_above:
            return
        if self._cap is None:
            rows = max(count, 10_000)  # one probe covers the usual small answers
            values = " ".join(f"VALUES ?v{i} {{0 1 2 3 4 5 6 7 8 9}}" for i in range(len(str(rows))))
            probe = self._sparql(f"SELECT ?v0 WHERE {{ {values} }} LIMIT {rows}", "text/csv", "SELECT")
            cap = probe.header("X-SPARQL-MaxRows")
            if not (cap and cap.isdigit()):
                self._cap_above = rows
                return
            self._cap = int(cap)
        if count > self._cap:
            raise self._truncated(resp, self._cap, count)

    def _parse_results(self, resp: _Response) -> tuple[ox.QuerySolutions | ox.QueryBoolean, int]:
        """SPARQL JSON results and their row count (0 for ASK)."""
        kind = (resp.header("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if kind not in (SPARQL_JSON, "application/json"):
                raise ValueError(f"expected {SPARQL_JSON}, got {kind or 'no content type'}")
            data = json.loads(resp.body)
            _fix_bnodes(data)
            rows = len(data.get("results", {}).get("bindings", [])) if "boolean" not in data else 0
            return ox.parse_query_results(json.dumps(data).encode(), format=ox.QueryResultsFormat.JSON), rows
        except (ValueError, SyntaxError, AttributeError) as e:
            raise self._fail(f"The SPARQL endpoint {{url}} sent a malformed query answer: {e}",
                             resp.url) from None

    def _parse_triples(self, resp: _Response) -> list[ox.Triple]:
        kind = (resp.header("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if kind not in (N_TRIPLES, "text/plain"):
                raise ValueError(f"expected {N_TRIPLES}, got {kind or 'no content type'}")
            return [q.triple for q in ox.parse(resp.body, format=ox.RdfFormat.N_TRIPLES)]
        except (ValueError, SyntaxError) as e:
            raise self._fail(f"The SPARQL endpoint {{url}} sent malformed N-Triples: {e}",
                             resp.url) from None
