"""What a data file may state: facts only as sourced claims, never the schema.

SHACL judges the graph; these two rules judge how a file writes it, which
the graph no longer shows once the current view is derived from the claims.
They run on the new assertions of `validate`, `add` and `link apply`
(locally and remotely) before validation in context, and the schema triples
they refuse are taken out first, so that the context is judged by the
project's own schema.  `queries/checks/facts-without-claims.rq` is the same
rule for `check`.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from .namespaces import BASE, shorten
from .terms import IPC, SH

QUDT_QUANTITY_VALUE = URIRef("http://qudt.org/schema/qudt/QuantityValue")
SCHEMA_RULE = URIRef(BASE + "shapes#DataDoesNotDefineSchema")
CLAIM_RULE = URIRef(BASE + "shapes#FactsAreClaims")

_SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
_SCHEMA_TYPES = {RDFS.Class, RDF.Property, RDFS.Datatype}
# owl: terms that describe individuals, not the schema.
_INDIVIDUAL_OWL = {OWL.sameAs, OWL.differentFrom, OWL.Thing, OWL.NamedIndividual}


@dataclass(frozen=True)
class Refusal:
    """One asserted triple a data file may not state, and why."""

    subject: Node
    predicate: URIRef
    object: Node
    rule: URIRef
    message: str


def refusals(data: Graph, ontology: Graph) -> list[Refusal]:
    """Every schema triple and every bare fact of the data, in a fixed order."""
    term_annotations = {p for p in ontology.subjects(RDF.type, OWL.AnnotationProperty) if p in IPC}
    claimable = _claimable_properties(ontology)
    found = []
    for s, p, o in sorted(data):
        if _defines_schema(s, p, o, term_annotations):
            found.append(Refusal(s, p, o, SCHEMA_RULE, (
                f"Data files cannot define or change the schema ({shorten(str(p))} on {_name(s)}): the ontology "
                "and shapes are changed in ontology/ and shapes/, reviewed in git. The triple was not used.")))
        elif p in claimable and (s, RDF.type, IPC.Claim) not in data:
            found.append(Refusal(s, p, o, CLAIM_RULE, (
                f"{shorten(str(p))} is a claimable property, so its values enter the graph only as claims: "
                f"write an ipc:Claim with rdf:subject {_name(s)}, rdf:predicate {shorten(str(p))}, rdf:object "
                "the value, prov:wasAttributedTo who said it, prov:wasDerivedFrom the source document, "
                "ipc:quote, ipc:locator and ipc:rank, instead of this bare triple.")))
    return found


def remove_schema_triples(data: Graph, found: list[Refusal]) -> None:
    for refusal in found:
        if refusal.rule == SCHEMA_RULE:
            data.remove((refusal.subject, refusal.predicate, refusal.object))


def _defines_schema(s: Node, p: URIRef, o: Node, term_annotations: set[Node]) -> bool:
    if isinstance(s, URIRef) and (s in IPC or str(s).startswith(str(SH)) or str(s).startswith(BASE + "shapes#")):
        return True
    if p in _SCHEMA_PREDICATES or p in term_annotations or str(p).startswith(str(SH)):
        return True
    if p in OWL and p not in _INDIVIDUAL_OWL:
        return True
    return p == RDF.type and (o in _SCHEMA_TYPES or (o in OWL and o not in _INDIVIDUAL_OWL)
                              or str(o).startswith(str(SH)))


def _claimable_properties(ontology: Graph) -> set[Node]:
    """Properties with a (claim) range that describe entities: not claims' own or quantities' parts,
    and not reference properties such as ISO codes."""
    ranged = set(ontology.subjects(RDFS.range, None)) | set(ontology.subjects(IPC.claimRange, None))
    structural = set(ontology.subjects(RDFS.domain, IPC.Claim)) | set(
        ontology.subjects(RDFS.domain, QUDT_QUANTITY_VALUE))
    return ranged - structural - set(ontology.subjects(RDF.type, IPC.ReferenceProperty))


def _name(node: Node) -> str:
    return shorten(str(node)) if isinstance(node, URIRef) else "the node"
