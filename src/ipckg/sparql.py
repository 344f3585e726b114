"""Small facts about SPARQL text that every engine needs: its form, and bound values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from .errors import UsageError

_PROLOGUE = re.compile(
    r"""\s*(?:\#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>
    |DEFINE\s+\S+\s+(?:"[^"]*"|'[^']*'|<[^>]*>|\S+))""",
    re.I | re.X,
)
_QUERY_FORM = re.compile(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_UPDATE_FORM = re.compile(r"\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_TOKEN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*|[{}]|[?$]\w+|\w+|\S', re.S)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE for a query, None for an update or garbage.

    Own parser because SPARQLWrapper's keyword search matches inside IRIs and
    variable names (``?address`` reads as ADD).
    """
    m = _QUERY_FORM.match(sparql, _after_prologue(sparql))
    return m.group(1).upper() if m else None


def refuse_update(sparql: str) -> None:
    """Raise if the text is a SPARQL Update: the commands that query only ever read.

    Checked before any request, because a query endpoint such as Virtuoso's
    runs an update sent to it as a query (a CLEAR GRAPH wiped a test server).
    """
    m = _UPDATE_FORM.match(sparql, _after_prologue(sparql))
    if m and not query_form(sparql):
        raise UsageError(
            f"This is a SPARQL Update ({m.group(1).upper()}), and querying only reads: nothing was sent or "
            "changed. Add data with 'ipckg add FILE' (validated first) and publish it with 'ipckg push'.")


def _after_prologue(sparql: str) -> int:
    pos = 0
    while m := _PROLOGUE.match(sparql, pos):
        if m.end() == pos:
            break
        pos = m.end()
    return pos


def with_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with its parameters bound by a VALUES block opening the WHERE clause.

    For engines without initial bindings (remote SPARQL endpoints).  Values
    are written as RDF terms in N-Triples syntax, so a value holding quotes,
    braces or '} ; DROP ALL' stays one literal.
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    block = f" {values_block(names, [[bindings[n] for n in names]])} "
    position = _where_brace(sparql)
    return sparql[:position + 1] + block + sparql[position + 1:]


def values_block(names: Sequence[str], rows: Iterable[Sequence[ox.NamedNode | ox.Literal | None]]) -> str:
    """A VALUES block of RDF terms in N-Triples syntax, UNDEF for None."""
    body = []
    for row in rows:
        cells = []
        for term in row:
            if term is not None and not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise TypeError(f"not an RDF term: {term!r}")
            cells.append("UNDEF" if term is None else str(term))
        body.append("(" + " ".join(cells) + ")")
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(body)} }}"


def tokens(sparql: str) -> Iterator[re.Match]:
    """The text as SPARQL tokens: strings, IRIs, comments, braces, variables, words, single characters."""
    return _TOKEN.finditer(sparql)


def _where_brace(sparql: str) -> int:
    """Offset of the '{' that opens the query's WHERE clause."""
    form = query_form(sparql)
    skip_template = False
    if form == "CONSTRUCT":
        after = sparql[_QUERY_FORM.search(sparql).end():].lstrip()
        skip_template = not after.upper().startswith("WHERE")
    depth = 0
    for match in _TOKEN.finditer(sparql):
        token = match.group()
        if token == "{":
            if depth == 0 and not skip_template:
                return match.start()
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and skip_template:
                skip_template = False
    raise ValueError("the query has no WHERE clause to bind parameters in")


_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([^\s:]*):", re.I)
_SERVICE_VARIABLE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?[?$](\w+)", re.I)


def service_variables(sparql: str) -> set[str]:
    """Variables that name the endpoint of a SERVICE clause (`SERVICE ?wikidata { ... }`).

    A VALUES block cannot bind those (the service is called before the join),
    so engines substitute them instead; a saved query must project them.
    """
    return set(_SERVICE_VARIABLE.findall(sparql))


def with_prefixes(sparql: str, prefixes: Mapping[str, str]) -> str:
    """Declare the known prefixes an ad-hoc query uses but does not declare itself."""
    declared = set(_PREFIX_DECLARATION.findall(sparql))
    used = [p for p in prefixes if p not in declared and re.search(rf"(?<![\w:<]){re.escape(p)}:", sparql)]
    # On the query's first line, so that error positions keep their line numbers.
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in used) + sparql
