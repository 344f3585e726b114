"""The admission rules: no schema in data files, no facts outside claims."""
from pathlib import Path

import pytest
from rdflib import Graph

from ipckg.admission import refusals
from ipckg.namespaces import expand
from ipckg.validation import load_ontology, validate_files

PREFIXES = """
@prefix ipc: <https://w3id.org/ipckg/ontology#> .
@prefix project: <https://w3id.org/ipckg/project/> .
@prefix country: <https://w3id.org/ipckg/country/> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ipcsh: <https://w3id.org/ipckg/shapes#> .
"""

SCHEMA = ("Data files cannot define or change the schema ({what}): the ontology and shapes are changed in "
          "ontology/ and shapes/, reviewed in git. The triple was not used.")


def validated(store, project, tmp_path: Path, turtle: str):
    file = tmp_path / "new.ttl"
    file.write_text(PREFIXES + turtle)
    report, _ = validate_files(store, project, [file])
    return [(r.focus, r.path, r.shape, r.message, r.line) for r in report.results], report


def result(focus, path, shape, message, line):
    return (expand(focus), expand(path), expand(shape), message, line)


@pytest.mark.parametrize("turtle, focus, path, what", [
    ("ipc:Project rdfs:subClassOf ipc:Country .", "ipc:Project", "rdfs:subClassOf", "rdfs:subClassOf on ipc:Project"),
    ("ipc:electricCapacity ipc:allowedUnit unit:KiloGM .", "ipc:electricCapacity", "ipc:allowedUnit",
     "ipc:allowedUnit on ipc:electricCapacity"),
    ("ipc:newClaimableProperty rdfs:range xsd:string .", "ipc:newClaimableProperty", "rdfs:range",
     "rdfs:range on ipc:newClaimableProperty"),
    ("ipcsh:ProjectShape sh:deactivated true .", "ipcsh:ProjectShape", "sh:deactivated",
     "sh:deactivated on ipcsh:ProjectShape"),
    ("<https://example.org/a> owl:equivalentClass ipc:Country .", "https://example.org/a", "owl:equivalentClass",
     "owl:equivalentClass on https://example.org/a"),
])
def test_a_schema_triple_is_refused_and_left_out_of_the_context(store, project, tmp_path, turtle, focus, path, what):
    results, report = validated(store, project, tmp_path, turtle)
    # One refusal, on line 12 (the prefixes take 11): with the triple in the context,
    # subClassOf would have made every one of the 24 projects a country, each a violation.
    assert results == [result(focus, path, "ipcsh:DataDoesNotDefineSchema", SCHEMA.format(what=what), 12)]
    assert report.fails()


def test_a_bare_fact_is_refused_with_how_to_write_it_as_a_claim(store, project, tmp_path):
    results, _ = validated(store, project, tmp_path, """
project:kanupp-2 ipc:length [ a qudt:QuantityValue ; qudt:numericValue 480 ; qudt:unit unit:KiloM ] .""")
    assert results == [result(
        "project:kanupp-2", "ipc:length", "ipcsh:FactsAreClaims",
        "ipc:length is a claimable property, so its values enter the graph only as claims: write an ipc:Claim "
        "with rdf:subject project:kanupp-2, rdf:predicate ipc:length, rdf:object the value, prov:wasAttributedTo "
        "who said it, prov:wasDerivedFrom the source document, ipc:quote, ipc:locator and ipc:rank, instead of "
        "this bare triple.", 13)]


def test_reference_properties_and_labels_are_stated_directly(store, project, tmp_path):
    results, report = validated(store, project, tmp_path, """
country:atlantis a ipc:Country ; rdfs:label "Atlantis"@en ; ipc:isoAlpha2 "XA" ; ipc:isoAlpha3 "XAT" .""")
    assert results == [] and not report.fails()


def test_the_bundled_data_states_no_schema_and_no_bare_fact(project):
    ontology = load_ontology(project)
    files = sorted((project.root / "data").rglob("*.ttl"))
    assert len(files) > 20
    assert [(f.name, r) for f in files for r in refusals(Graph().parse(f), ontology)] == []
