"""Moving RDF terms between rdflib (parsing, SHACL) and pyoxigraph (store, queries)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .namespaces import ONTOLOGY, XSD_STRING

# The rdflib namespaces the library shares (namespaces.py stays free of rdflib for start-up).
IPC = Namespace(ONTOLOGY)
SH = Namespace("http://www.w3.org/ns/shacl#")

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: OxTerm) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)  # RDF 1.1: the same literal; rdflib only joins it untyped
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(term: Node) -> OxTerm:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def triples_to_graph(triples, graph: Graph | None = None) -> Graph:
    """Add pyoxigraph triples to an rdflib graph (a new one by default)."""
    graph = Graph() if graph is None else graph
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph
