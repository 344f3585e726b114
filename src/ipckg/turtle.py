"""Reading Turtle with rdflib while remembering the line each triple came from.

Validation reports point curators at the line to fix; rdflib's parser keeps
a line counter for its error messages, and a graph that notes it on every
`add` turns that into a triple -> line index.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax, RDFSink, SinkParser

from .errors import InputError

# Relative IRIs are resolved against this, not the file's own path: an IRI
# that starts with it was written relative, with no @base, and is refused.
NO_BASE = "https://relative-iri.invalid/"


class _LineRecordingGraph(Graph):
    def __init__(self):
        super().__init__()
        self.parser: SinkParser | None = None
        self.text = ""
        self.lines: dict[tuple, int] = {}

    def add(self, triple):
        if self.parser is not None:
            # The parser's own line counter can count a newline twice; the
            # offset of the line it is on is exact.
            self.lines.setdefault(triple, self.text.count("\n", 0, self.parser.startOfLine) + 1)
        return super().add(triple)


def read_turtle(path: Path) -> tuple[Graph, dict[tuple, int]]:
    """Parse a Turtle file; return the graph and the line of each triple's end."""
    try:
        text = path.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}.") from None
    graph = _LineRecordingGraph()
    parser = SinkParser(RDFSink(graph), baseURI=NO_BASE, turtle=True)
    try:
        graph.parser, graph.text = parser, text.decode("utf-8")
        parser.loadBuf(graph.text)
    except BadSyntax as error:
        why = getattr(error, "_why", "syntax error")
        line = graph.text.count("\n", 0, error._i) + 1 if hasattr(error, "_i") else error.lines + 1
        raise InputError(f"{path}, line {line}: not valid Turtle ({why}).") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text, so it cannot be Turtle.") from None
    for prefix, namespace in parser._bindings.items():
        graph.bind(prefix, namespace)
    graph.parser = None
    _refuse_relative_iris(path, graph.lines)
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace)
    result += graph
    return result, graph.lines


def _refuse_relative_iris(path: Path, lines: dict[tuple, int]) -> None:
    """A relative IRI would name a file on this machine (file:///…/chaos-a): the graph's IRIs are absolute."""
    relative = [(line, term) for triple, line in lines.items() for term in triple
                if isinstance(term, URIRef) and term.startswith(NO_BASE)]
    if relative:
        line, term = min(relative)
        raise InputError(f"{path}, line {line}: <{term[len(NO_BASE):]}> is a relative IRI and the file declares no "
                         "@base to resolve it against. Write the IRI in full (https://w3id.org/ipckg/…) or with "
                         "a prefix.")
