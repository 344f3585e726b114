"""Writing query answers in the formats analysts ask for.

SELECT and ASK answers go out as the W3C result formats (through Oxigraph's
writers) or as a table for people; CONSTRUCT and DESCRIBE answers as RDF.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

import pyoxigraph as ox

from .errors import UsageError
from .namespaces import PREFIXES, XSD_STRING, shorten

SOLUTION_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
TEXT_FORMATS = ("table", "markdown")
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD}
ALL_FORMATS = (*TEXT_FORMATS, *SOLUTION_FORMATS, *GRAPH_FORMATS)


def page(result, limit: int | None, offset: int = 0):
    """Rows offset+1 to offset+limit of a SELECT answer (all from offset if limit is None), and whether more follow.

    Only the rows shown and one more are read: a query with no ORDER BY is
    never evaluated further, and a long answer is never rendered whole.
    """
    if limit is None and not offset:
        return result, False
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError("--limit and --offset page the rows of a SELECT answer; this query is an ASK, "
                         "CONSTRUCT or DESCRIBE.")
    variables = result.variables
    rows = list(itertools.islice(result, offset, None if limit is None else offset + limit + 1))
    more = limit is not None and len(rows) > limit
    return _solutions(variables, rows[:limit] if limit is not None else rows), more


def _solutions(variables: list[ox.Variable], rows: list[ox.QuerySolution]) -> ox.QuerySolutions:
    """A QuerySolutions of some rows, through the SPARQL JSON results format, so every writer still applies."""
    def term(t) -> dict:
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out

    names = [v.value for v in variables]
    document = {"head": {"vars": names}, "results": {"bindings": [
        {name: term(row[name]) for name in names if row[name] is not None} for row in rows]}}
    return ox.parse_query_results(json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON)


def is_graph(result) -> bool:
    return not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean))


def default_format(result, terminal: bool) -> str:
    if is_graph(result):
        return "turtle"
    return "table" if terminal else "csv"


def render(result, fmt: str) -> bytes:
    """The answer of a query in the given format."""
    if is_graph(result):
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"A CONSTRUCT or DESCRIBE answer is a graph: use -f "
                             f"{', '.join(GRAPH_FORMATS)}, not {fmt!r}.")
        return serialize_graph(result, fmt)
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"A SELECT or ASK answer is a table: use -f {', '.join((*TEXT_FORMATS, *SOLUTION_FORMATS))}, "
                         f"not {fmt!r}.")
    if fmt in SOLUTION_FORMATS:
        return result.serialize(format=SOLUTION_FORMATS[fmt])
    if isinstance(result, ox.QueryBoolean):
        return f"{'true' if bool(result) else 'false'}\n".encode()
    header = [v.value for v in result.variables]
    rows = [[cell(solution[name]) for name in header] for solution in result]
    return (markdown_table if fmt == "markdown" else text_table)(header, rows).encode()


DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def serialize_graph(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    prefixes = PREFIXES if fmt == "turtle" else None
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes)


def serialize_dataset(quads: Iterable[ox.Quad], fmt: str) -> bytes:
    """Quads with their graphs: the asserted triples in the default graph, the view in its named graph."""
    prefixes = PREFIXES if fmt == "trig" else None
    return ox.serialize(quads, format=DATASET_FORMATS[fmt], prefixes=prefixes)


def cell(term) -> str:
    """A term as people read it: prefixed names, plain literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"
    return "\n".join([line(header), line(["---"] * len(header)), *(line(r) for r in rows)]) + "\n"
