from ipckg.stats import graph_stats


def test_statistics_of_the_bundled_graph(store):
    figures = graph_stats(store)
    assert figures.triples == len(store)
    classes = dict(figures.entities_per_class)
    assert (classes["https://w3id.org/ipckg/ontology#Country"], classes["https://w3id.org/ipckg/ontology#RailwayProject"]) == (17, 5)
    # 39 Wikidata link claims, of which Bam's and Stara Pazova's are deprecated as wrong items.
    assert dict(figures.links_per_target) == {"dbpedia": 37, "geonames": 39, "wikidata": 37}
    assert figures.claims_per_source[0] == ("https://w3id.org/ipckg/source/li-gang-2016", 134)
    assert figures.as_dict()["triples"] == figures.triples
