"""The bundled graph holds the article completely and traceably."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

ARTICLE = Path(__file__).resolve().parents[1] / "sources" / "li-gang-2016-international-cooperation.txt"
ARTICLE_CLAIMS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX ipc: <https://w3id.org/ipckg/ontology#>
SELECT ?s ?p ?o ?number ?unit ?comparator ?claimant ?quote WHERE {
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom <https://w3id.org/ipckg/source/li-gang-2016> ;
         prov:wasAttributedTo ?claimant ; ipc:quote ?quote .
  OPTIONAL { ?o qudt:numericValue ?number ; qudt:unit ?unit }
  OPTIONAL { ?o ipc:comparator ?comparator }
}"""
B = "https://w3id.org/ipckg/"
IPC = B + "ontology#"


def short(iri: str) -> str:
    for prefix, namespace in (("ipc:", IPC), ("unit:", "http://qudt.org/vocab/unit/"), ("schema:", "https://schema.org/"),
                              ("org:", "http://www.w3.org/ns/org#"), ("", B)):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


@pytest.fixture(scope="module")
def article_facts(store):
    facts = set()
    for row in store.query(ARTICLE_CLAIMS):
        value = row["o"]
        if row["number"] is not None:
            value = (Decimal(row["number"].value), short(row["unit"].value),
                     short(row["comparator"].value) if row["comparator"] else None)
        else:
            value = short(value.value)
        facts.add((short(row["s"].value), short(row["p"].value), value))
    return facts


def test_every_quote_is_verbatim_from_the_article(store):
    text = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    quotes = {row["quote"].value for row in store.query(ARTICLE_CLAIMS)}
    assert len(quotes) == 42
    assert [q for q in quotes if " ".join(q.split()) not in text] == []


@pytest.mark.parametrize("fact", [
    ("project/kuantan-steel-plant", "ipc:investment", (Decimal(1400000000), "unit:CCY_USD", "ipc:Approximately")),
    ("project/kuantan-steel-plant", "ipc:annualCapacity", (Decimal(3500000), "unit:TONNE-PER-YR", None)),
    ("project/kuantan-steel-plant", "ipc:jobsCreated", (Decimal(4000), "unit:NUM", None)),
    ("project/kuantan-steel-plant", "ipc:constructionStart", "2014-12-23"),
    ("project/kuantan-steel-plant", "ipc:product", "H-shape steel"),
    ("project/kuantan-steel-plant", "ipc:partOf", "project/malaysia-china-kuantan-industrial-park"),
    ("project/chery-mvm-joint-venture", "ipc:partner", "organisation/iran-khodro"),
    ("project/chery-mvm-joint-venture", "ipc:establishes", "organisation/mvm"),
    ("project/chery-brazil-plant", "ipc:investment", (Decimal(400000000), "unit:CCY_USD", None)),
    ("project/china-laos-railway", "ipc:constructionStart", "2015-12-02"),
    ("project/china-thailand-railway", "ipc:constructionStart", "2015-12-19"),
    ("project/hungary-serbia-railway-serbian-section", "ipc:constructionStart", "2015-12-23"),
    ("project/jakarta-bandung-high-speed-railway", "ipc:constructionStart", "2016-01-21"),
    ("project/kanupp-2", "ipc:constructionStart", "2015-08"),
    ("project/kanupp-2", "ipc:electricCapacity", (Decimal(1100), "unit:MegaW", None)),
    ("project/kanupp-2", "ipc:near", "place/karachi"),
    ("project/eastern-industrial-zone", "schema:name", "Oriental Industrial Park"),
    ("project/eastern-industrial-zone", "ipc:hostedIndustry", "industry/garments"),
    ("project/china-thailand-railway", "ipc:roundTripFare", (Decimal(700), "unit:CCY_CNY", "ipc:Approximately")),
    ("project/china-thailand-railway", "ipc:freightCostShareOfAir", (Decimal("11.1"), "unit:PERCENT", "ipc:Approximately")),
    ("project/china-thailand-railway", "ipc:additionalTouristsPerYear", (Decimal(2000000), "unit:NUM-PER-YR", "ipc:Approximately")),
    ("project/china-thailand-railway", "ipc:connectsWith", "project/china-laos-railway"),
    ("place/world", "ipc:averageAnnualGrowthRate", (Decimal("3.4"), "unit:PERCENT", None)),
    ("place/world", "ipc:averageAnnualGrowthRate", (Decimal(5), "unit:PERCENT", "ipc:MoreThan")),
    ("place/world", "ipc:projectedGrowthRate", (Decimal(4), "unit:PERCENT", "ipc:LessThan")),
    ("person/li-gang", "ipc:academicDegree", "PhD in economics"),
    ("person/li-gang", "org:memberOf", "organisation/cass-institute-of-european-studies"),
    ("person/li-gang", "ipc:researchedAt", "organisation/erasmus-department-of-public-administration"),
    ("person/li-gang", "schema:knowsAbout", "the U.K. economy"),
    ("event/li-keqiang-visit-belgium-france-2015", "ipc:visitedCountry", "country/france"),
    ("event/capacity-imports-1980s", "ipc:originCountry", "country/japan"),
    ("event/capacity-imports-1980s", "ipc:originCountry", "country/united-states"),
    ("event/capacity-imports-1980s", "ipc:originCountry", "country/germany"),
    ("policy/international-production-capacity-cooperation", "ipc:follows", "policy/belt-and-road-initiative"),
    ("policy/13th-five-year-plan", "ipc:promotes", "policy/international-production-capacity-cooperation"),
    ("policy/guiding-opinions-2015", "ipc:focusSectorCount", "12"),
])
def test_article_fact_is_a_claim_of_the_article(article_facts, fact):
    assert fact in article_facts


def test_article_lists_thirteen_items_for_twelve_sectors(store):
    rows = list(store.query(f"""
        SELECT ?claim ?sector WHERE {{
          ?claim <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <{IPC}focusSector> ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?sector ;
                 <http://www.w3.org/ns/prov#wasDerivedFrom> <{B}source/li-gang-2016> }}"""))
    assert len(rows) == 13
    assert len({r["sector"] for r in rows}) == 12


def test_every_claim_rests_on_a_source_with_a_quote(store):
    rows = list(store.query(f"""
        SELECT ?claim WHERE {{ ?claim a <{IPC}Claim> .
          FILTER NOT EXISTS {{ ?claim <http://www.w3.org/ns/prov#wasDerivedFrom> ?s ; <{IPC}quote> ?q }} }}"""))
    assert rows == []


def test_claim_slugs_are_readable(store):
    claims = [r["c"].value for r in store.query(f"SELECT ?c WHERE {{ ?c a <{IPC}Claim> }}")]
    assert claims and all(re.fullmatch(re.escape(B) + r"claim/[a-z0-9]+(-[a-z0-9]+)*", c) for c in claims)
