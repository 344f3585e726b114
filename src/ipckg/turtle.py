"""Reading Turtle with rdflib while remembering the line each triple came from.

Validation reports point curators at the line to fix; rdflib's parser keeps
a line counter for its error messages, and a graph that notes it on every
`add` turns that into a triple -> line index.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax, RDFSink, SinkParser

from .errors import InputError


class _LineRecordingGraph(Graph):
    def __init__(self):
        super().__init__()
        self.parser: SinkParser | None = None
        self.lines: dict[tuple, int] = {}

    def add(self, triple):
        if self.parser is not None:
            self.lines.setdefault(triple, self.parser.lines + 1)
        return super().add(triple)


def read_turtle(path: Path) -> tuple[Graph, dict[tuple, int]]:
    """Parse a Turtle file; return the graph and the line of each triple's end."""
    try:
        text = path.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}.") from None
    graph = _LineRecordingGraph()
    parser = SinkParser(RDFSink(graph), baseURI=path.resolve().as_uri(), turtle=True)
    graph.parser = parser
    try:
        parser.loadBuf(text)
    except BadSyntax as error:
        why = getattr(error, "_why", "syntax error")
        raise InputError(f"{path}, line {error.lines + 1}: not valid Turtle ({why}).") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text, so it cannot be Turtle.") from None
    for prefix, namespace in parser._bindings.items():
        graph.bind(prefix, namespace)
    graph.parser = None
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace)
    result += graph
    return result, graph.lines
