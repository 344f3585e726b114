import pyoxigraph as ox
import pytest

from ipckg.namespaces import PREFIXES
from ipckg.errors import UsageError
from ipckg.sparql import query_form, refuse_update, with_prefixes, with_values

MALAYSIA = ox.NamedNode("https://w3id.org/ipckg/country/malaysia")
HOSTILE = ox.Literal('a "} ; DROP ALL GRAPHS ; INSERT DATA { <x:a> <x:b> <x:c> } #')


def test_query_form():
    assert query_form("PREFIX ex: <http://x/#> # note\nSELECT ?address WHERE {}") == "SELECT"
    assert query_form("BASE <http://x/> construct { } where { }") == "CONSTRUCT"
    assert query_form("WITH <http://x/selection> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }") is None
    assert query_form("INSERT DATA { <http://x/ask> <http://x/p> 1 }") is None


def test_values_open_the_where_clause():
    text = with_values("PREFIX a: <http://a/> # {comment}\nSELECT ?x WHERE { ?x ?p ?country }", {"country": MALAYSIA})
    assert text == ("PREFIX a: <http://a/> # {comment}\nSELECT ?x WHERE { VALUES (?country) { "
                    "(<https://w3id.org/ipckg/country/malaysia>) }  ?x ?p ?country }")


def test_values_skip_a_construct_template():
    text = with_values("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", {"x": MALAYSIA})
    assert text.startswith("CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x)")


def test_hostile_value_stays_one_literal():
    store = ox.Store()
    store.update('INSERT DATA { <http://ex/s> <http://ex/p> "kept" }')
    query = with_values("SELECT ?v WHERE { ?s ?p ?o }", {"v": HOSTILE})
    rows = list(store.query(query))
    assert [row["v"] for row in rows] == [HOSTILE]
    assert len(store) == 1


def test_no_where_clause_is_an_error():
    with pytest.raises(ValueError):
        with_values("SELECT * FROM <http://x/>", {"x": MALAYSIA})


def test_prefixes_declared_only_when_used_and_missing():
    text = with_prefixes("PREFIX ipc: <x#> SELECT * WHERE { ?p ipc:a country:malaysia ; <http://a/b:c> 'x:y' }", PREFIXES)
    assert text.startswith("PREFIX country: <https://w3id.org/ipckg/country/> PREFIX ipc: <x#>")
    assert text.count("PREFIX") == 2


@pytest.mark.parametrize("text", [
    "SELECT ?address WHERE { ?address ?p ?o }",
    "# DROP ALL would be an update\nASK { ?s ?p ?o }",
    "PREFIX with: <urn:with:> CONSTRUCT { ?s with:x ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <urn:load>",
])
def test_queries_that_mention_update_words_are_not_refused(text):
    refuse_update(text)


@pytest.mark.parametrize("text, verb", [
    ("LOAD <http://example.org/data.ttl>", "LOAD"), ("create graph <urn:g>", "CREATE"),
    ("ADD <urn:a> TO <urn:b>", "ADD"), ("MOVE DEFAULT TO <urn:b>", "MOVE"), ("COPY <urn:a> TO <urn:b>", "COPY"),
    ("BASE <http://x/> DELETE DATA { <a> <b> <c> }", "DELETE"),
])
def test_every_update_form_is_refused(text, verb):
    with pytest.raises(UsageError, match=rf"SPARQL Update \({verb}\)"):
        refuse_update(text)
