"""The ontology is documented and consistent with the data under OWL 2 RL."""

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from ipckg.terms import triples_to_graph
from ipckg.validation import load_ontology

IPC = Namespace("https://w3id.org/ipckg/ontology#")
ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")


def owl_rl_errors(graph: Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    return sorted(str(graph.value(e, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
                  for e in graph.subjects(RDF.type, ERROR))


@pytest.fixture(scope="module")
def entailed(store):
    graph = triples_to_graph(store.triples())
    return graph, owl_rl_errors(graph)


def test_every_term_has_label_and_comment(project):
    ontology = load_ontology(project)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype)
    terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(IPC))}
    assert len(terms) > 90
    undocumented = sorted(str(t) for t in terms
                          if (t, RDFS.label, None) not in ontology or (t, RDFS.comment, None) not in ontology)
    assert undocumented == []


def test_ontology_header(project):
    ontology = load_ontology(project)
    header = URIRef("https://w3id.org/ipckg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(header, OWL.versionInfo)) == "0.1.0"
    assert str(ontology.value(header, URIRef("http://purl.org/dc/terms/license"))) == \
        "https://creativecommons.org/licenses/by/4.0/"


def test_graph_is_consistent_under_owl_rl(entailed):
    _, errors = entailed
    assert errors == []


def test_no_unintended_class_membership(entailed):
    graph, _ = entailed

    def ipc_types(node):
        return sorted(str(t).split("#")[1] for t in graph.objects(URIRef(node), RDF.type) if str(t).startswith(str(IPC)))

    assert ipc_types("https://w3id.org/ipckg/country/malaysia") == ["Country", "Place"]
    assert ipc_types("https://w3id.org/ipckg/project/kanupp-2") == ["NuclearPowerProject", "PowerPlantProject", "Project"]
    assert ipc_types("https://w3id.org/ipckg/organisation/chery") == ["Company"]
    assert ipc_types("https://w3id.org/ipckg/person/li-gang") == []
    assert ipc_types("https://w3id.org/ipckg/claim/li-gang-2016-kanupp-2-capacity") == ["Claim"]


def test_reasoner_catches_an_entity_of_two_kinds(project):
    graph = load_ontology(project)
    thing = URIRef("https://w3id.org/ipckg/project/test-confused")
    graph.add((thing, RDF.type, IPC.RailwayProject))
    graph.add((thing, IPC.country, URIRef("https://w3id.org/ipckg/country/laos")))
    graph.add((thing, RDF.type, IPC.City))
    assert len(owl_rl_errors(graph)) == 1
