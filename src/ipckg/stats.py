"""Counts that describe a graph: triples, entities per class, claims per source, links per target.

Plain SPARQL, so the same figures come from the embedded store and from a
remote endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from .namespaces import ONTOLOGY

_ENTITIES_PER_CLASS = f"""
SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities)
WHERE {{ ?entity a ?class . FILTER (STRSTARTS(STR(?class), "{ONTOLOGY}")
         || ?class IN (<http://xmlns.com/foaf/0.1/Person>, <http://www.w3.org/ns/org#FormalOrganization>,
                       <http://www.w3.org/ns/org#OrganizationalUnit>, <http://www.w3.org/2004/02/skos/core#Collection>)) }}
GROUP BY ?class ORDER BY DESC(?entities) ?class"""

_CLAIMS_PER_SOURCE = f"""
SELECT ?source (COUNT(?claim) AS ?claims)
WHERE {{ ?claim a <{ONTOLOGY}Claim> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?source . }}
GROUP BY ?source ORDER BY DESC(?claims) ?source"""

_LINKS_PER_TARGET = """
SELECT ?target (COUNT(*) AS ?links)
WHERE {
  ?entity <http://www.w3.org/2004/02/skos/core#exactMatch> ?link .
  BIND (IF(STRSTARTS(STR(?link), "http://www.wikidata.org/"), "wikidata",
        IF(STRSTARTS(STR(?link), "http://dbpedia.org/"), "dbpedia",
        IF(STRSTARTS(STR(?link), "https://sws.geonames.org/"), "geonames", "other"))) AS ?target)
}
GROUP BY ?target ORDER BY ?target"""


@dataclass
class GraphStats:
    triples: int
    entities_per_class: list[tuple[str, int]]
    claims_per_source: list[tuple[str, int]]
    links_per_target: list[tuple[str, int]]

    def as_dict(self) -> dict:
        return {"triples": self.triples,
                "entities_per_class": dict(self.entities_per_class),
                "claims_per_source": dict(self.claims_per_source),
                "links_per_target": dict(self.links_per_target)}


def graph_stats(graph) -> GraphStats:
    """Statistics of anything with a `query(sparql)` method (store or endpoint)."""
    def pairs(sparql: str) -> list[tuple[str, int]]:
        result = graph.query(sparql)
        names = [v.value for v in result.variables]
        return [(row[names[0]].value, int(row[names[1]].value)) for row in result]

    triples = next(iter(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]
    return GraphStats(int(triples.value), pairs(_ENTITIES_PER_CLASS), pairs(_CLAIMS_PER_SOURCE),
                      pairs(_LINKS_PER_TARGET))
