import json

import pyoxigraph as ox
import pytest

from ipckg.errors import UsageError
from ipckg.results import default_format, markdown_table, page, render, text_table

QUERY = "SELECT ?c ?label WHERE { VALUES (?c ?label) { (<https://w3id.org/ipckg/country/laos> \"Laos\"@en) } }"


@pytest.fixture
def store():
    return ox.Store()


def test_table_shortens_iris_and_counts_rows(store):
    assert render(store.query(QUERY), "table").decode() == (
        "c             label\n------------  -----\ncountry:laos  Laos\n(1 row)\n")


def test_w3c_formats(store):
    answer = json.loads(render(store.query(QUERY), "json"))
    assert answer["results"]["bindings"][0]["label"] == {"type": "literal", "value": "Laos", "xml:lang": "en"}
    assert render(store.query(QUERY), "csv").decode() == "c,label\r\nhttps://w3id.org/ipckg/country/laos,Laos\r\n"


def test_ask_and_graph_answers(store):
    assert render(store.query("ASK {}"), "table") == b"true\n"
    graph = store.query("CONSTRUCT { <http://ex/a> <http://ex/b> 1 } WHERE {}")
    assert render(graph, "ntriples") == b'<http://ex/a> <http://ex/b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


def test_wrong_format_for_the_answer_is_a_usage_error(store):
    with pytest.raises(UsageError, match="is a table"):
        render(store.query(QUERY), "turtle")
    with pytest.raises(UsageError, match="is a graph"):
        render(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "csv")


def test_defaults(store):
    assert default_format(store.query(QUERY), terminal=True) == "table"
    assert default_format(store.query(QUERY), terminal=False) == "csv"
    assert default_format(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), terminal=True) == "turtle"


def test_markdown_escapes_pipes():
    assert markdown_table(["a"], [["x|y"]]) == "| a |\n| --- |\n| x\\|y |\n"
    assert text_table(["a"], []) == "a\n-\n(0 rows)\n"


ROWS = """SELECT ?n ?thing ?label WHERE {
    VALUES (?n ?label) { (1 "a"@en) (2 "b") (3 UNDEF) (4 "4.50"^^<http://www.w3.org/2001/XMLSchema#decimal>) (5 "e"@fr) }
    BIND (IF(?n = 2, BNODE(), IRI(CONCAT("http://ex/", STR(?n)))) AS ?thing) } ORDER BY ?n"""


def test_a_page_is_the_slice_of_the_whole_answer_with_every_term_kept(store):
    whole = json.loads(render(store.query(ROWS), "json"))["results"]["bindings"]
    shown, more = page(store.query(ROWS), 2, offset=1)
    assert more is True
    bindings = json.loads(render(shown, "json"))["results"]["bindings"]
    assert [b["n"]["value"] for b in bindings] == ["2", "3"]
    assert bindings[0]["thing"]["type"] == "bnode" and bindings[1] == whole[2]  # an unbound label stays unbound
    last, more = page(store.query(ROWS), 2, offset=3)
    assert more is False and json.loads(render(last, "json"))["results"]["bindings"] == whole[3:]
    assert whole[3]["label"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"  # a typed literal survives
    rest, more = page(store.query(ROWS), None, offset=4)
    assert more is False and render(rest, "csv").decode() == "n,thing,label\r\n5,http://ex/5,e\r\n"


def test_paging_an_ask_or_a_graph_is_a_usage_error(store):
    with pytest.raises(UsageError, match="page the rows of a SELECT answer"):
        page(store.query("ASK {}"), 1)
    assert page(store.query("ASK {}"), None) == (page(store.query("ASK {}"), None)[0], False)
