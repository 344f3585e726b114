"""The bundled graph holds the article completely and traceably."""

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[1] / "sources"
ARTICLE = SOURCES / "li-gang-2016-international-cooperation.txt"
EXCERPTS = SOURCES / "excerpts"
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


def test_every_claim_rests_on_a_source_with_a_quote_or_a_paraphrase(store):
    rows = list(store.query(f"""
        SELECT ?claim WHERE {{ ?claim a <{IPC}Claim> .
          FILTER NOT EXISTS {{ ?claim <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }}
          FILTER NOT EXISTS {{ ?claim <{IPC}quote>|<{IPC}paraphrase> ?words }} }}"""))
    assert rows == []


def comparable(text: str) -> str:
    """Whitespace collapsed and full-width forms folded (NFKC), so that a quote copied with ASCII
    punctuation still matches a Chinese page that uses full-width commas, and no other difference."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def read_excerpt(path: Path) -> tuple[dict[str, str], str]:
    header, _, text = path.read_text(encoding="utf-8").partition("\n\n")
    title, *fields = header.splitlines()
    keys = {}
    for line in fields:
        if ":" in line and not line.startswith(" "):
            key, _, value = line.partition(":")
            keys[key], last = value.strip(), key
        else:
            keys[last] += " " + line.strip()
    return {"title": title, **keys}, text


DOCUMENT_QUOTES = f"""
SELECT ?claim ?source ?url ?quote WHERE {{
  ?claim <{IPC}quote> ?quote ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?property ;
         <http://www.w3.org/ns/prov#wasDerivedFrom> ?source .
  OPTIONAL {{ ?source <https://schema.org/url> ?url }}
  FILTER (?source != <{B}source/li-gang-2016>)
  FILTER (?property != <http://www.w3.org/2004/02/skos/core#exactMatch>)
}}"""


@pytest.fixture(scope="module")
def document_quotes(store):
    return [{name: row[name].value if row[name] is not None else None for name in ("claim", "source", "url", "quote")}
            for row in store.query(DOCUMENT_QUOTES)]


def test_every_quote_outside_the_article_is_verbatim_in_its_documents_excerpt(document_quotes):
    # Links (skos:exactMatch) quote data files, not documents: they are checked with their evidence.
    assert len(document_quotes) >= 80
    missing = []
    for row in document_quotes:
        excerpt = EXCERPTS / (row["source"].rsplit("/", 1)[1] + ".txt")
        if not excerpt.exists():
            missing.append((row["claim"], "no excerpt " + excerpt.name))
            continue
        fields, text = read_excerpt(excerpt)
        if fields.get("URL") != row["url"]:
            missing.append((row["claim"], f"excerpt URL {fields.get('URL')} is not the source's {row['url']}"))
        elif comparable(row["quote"]) not in comparable(text):
            missing.append((row["claim"], row["quote"]))
    assert missing == []


def test_every_excerpt_is_of_a_cited_document_with_its_address_and_retrieval(project, document_quotes):
    cited = {row["source"].rsplit("/", 1)[1] for row in document_quotes}
    excerpts = sorted(EXCERPTS.glob("*.txt"))
    assert {path.stem for path in excerpts} == cited
    for path in excerpts:
        fields, text = read_excerpt(path)
        assert fields["URL"].startswith(("http://", "https://")), path.name
        assert re.match(r"\d{4}-\d{2}-\d{2}, ", fields["Retrieved"]), path.name
        assert re.fullmatch(r"[a-z]{2}", fields["Language"]), path.name
        assert 0 < len(text) < 3000, f"{path.name}: an excerpt holds a few sentences, not the page"


def test_the_curators_brief_is_paraphrased_never_quoted(store):
    # The brief's sentences are summaries: quoting them would pass them off as a document's words.
    rows = list(store.query(f"""
        SELECT ?claim WHERE {{ ?claim <http://www.w3.org/ns/prov#wasDerivedFrom> <{B}source/ipckg-domain-brief> ;
                                      <{IPC}quote> ?quote }}"""))
    assert rows == []
    assert len(list(store.query(f"""
        SELECT ?claim WHERE {{ ?claim <http://www.w3.org/ns/prov#wasDerivedFrom> <{B}source/ipckg-domain-brief> ;
                                      <{IPC}paraphrase> ?words }}"""))) >= 50


def test_claim_slugs_are_readable(store):
    claims = [r["c"].value for r in store.query(f"SELECT ?c WHERE {{ ?c a <{IPC}Claim> }}")]
    assert claims and all(re.fullmatch(re.escape(B) + r"claim/[a-z0-9]+(-[a-z0-9]+)*", c) for c in claims)
