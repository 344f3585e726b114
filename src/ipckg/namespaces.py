"""The project's IRIs and prefixes: one place, used by queries, reports and writers."""

BASE = "https://w3id.org/ipckg/"
ONTOLOGY = BASE + "ontology#"
DEFAULT_GRAPH = BASE + "graph"
VIEW_GRAPH = BASE + "graph/current-view"  # the embedded store's named graph of the derived view
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

PREFIXES: dict[str, str] = {
    "ipc": ONTOLOGY,
    "country": BASE + "country/",
    "place": BASE + "place/",
    "organisation": BASE + "organisation/",
    "person": BASE + "person/",
    "project": BASE + "project/",
    "policy": BASE + "policy/",
    "event": BASE + "event/",
    "sector": BASE + "sector/",
    "industry": BASE + "industry/",
    "mode": BASE + "cooperation-mode/",
    "source": BASE + "source/",
    "claim": BASE + "claim/",
    "ipcsh": BASE + "shapes#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "dbr": "http://dbpedia.org/resource/",
    "gn": "https://sws.geonames.org/",
}


def expand(curie_or_iri: str) -> str:
    """Expand a prefixed name with the project's prefixes; return other strings unchanged."""
    prefix, sep, local = curie_or_iri.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie_or_iri


def shorten(iri: str) -> str:
    """Write an IRI as a prefixed name where a project prefix covers it (longest namespace wins)."""
    best = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(PREFIXES[best])):
            best = prefix
    if best is None:
        return iri
    local = iri[len(PREFIXES[best]):]
    if not local or any(ch in local for ch in "/#?() ,;"):
        return iri
    return f"{best}:{local}"
