"""Every SHACL shape, exercised by fixtures: valid data conforms, invalid data gets exactly the expected results.

The fixtures are tests/fixtures/shapes/<Shape>-valid-NN.ttl and <Shape>-invalid-NN.ttl.  Each is
validated on its own, in the context of the bundled graph, as `ipckg validate` does
(`validate_files`).  An invalid fixture breaks one constraint and says which on its first line; a
few also show a consequence through the current view (a claimed value that reaches the entity)
and say so.  EXPECTED lists, for each invalid fixture, the exact results as tuples

    (focus, severity, shape, path, message)

written out by hand: the focus IRI ("_:" for a blank node, a quantity value), "Violation" or
"Warning", the node shape (followed by the path for an anonymous property shape, or the name of a
shared property shape such as ipcsh:label), the result path IRI (None for SPARQL constraints and
alternative paths) and the message as the report shows it: IRIs substituted into a message are
shortened to prefixed names.

The fixtures run through the default engine (SPARQL); tests/test_shape_compiler.py shows pySHACL
reports the same for every one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Namespace, URIRef

from ipckg.validation import NewAssertions, change_context, load_shapes, validate_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
SHAPES_FILE = Path(__file__).resolve().parents[1] / "shapes" / "ipckg-shapes.ttl"
SHAPES = "https://w3id.org/ipckg/shapes#"
SH = Namespace("http://www.w3.org/ns/shacl#")
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+)-(?P<kind>valid|invalid)-[0-9]{2}\.ttl$")

VALID = sorted(path.name for path in FIXTURES.glob("*-valid-*.ttl"))
INVALID = sorted(path.name for path in FIXTURES.glob("*-invalid-*.ttl"))

PLANNED_DATES = "If the source states a plan or an expectation, claim it with ipc:plannedConstructionStart, ipc:plannedOperationStart or ipc:plannedCompletionDate."

QUOTE_OR_PARAPHRASE = ("A claim carries the source's words it rests on, verbatim (ipc:quote), or, where they cannot be "
                       "quoted, a curator's paraphrase (ipc:paraphrase).")

EXPECTED = {
    "CalendarDateValue-invalid-01.ttl": {
        ("https://w3id.org/ipckg/project/test-not-leap-year",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Project dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "CalendarDateValue-invalid-02.ttl": {
        ("https://w3id.org/ipckg/event/test-date-time",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape", None,
         "Event dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "CalendarDateValue-invalid-03.ttl": {
        ("https://w3id.org/ipckg/organisation/test-two-digit-year",
         "Violation", "https://w3id.org/ipckg/shapes#foundingDate", "https://schema.org/foundingDate",
         "A founding date must be a valid xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "CalendarDateValue-invalid-04.ttl": {
        ("https://w3id.org/ipckg/source/test-unpadded-date",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape dcterms:issued", "http://purl.org/dc/terms/issued",
         "A source document has at most one issue date, a valid xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "CalendarDateValue-invalid-05.ttl": {
        ("https://w3id.org/ipckg/policy/test-string-proposal-date",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape", None,
         "Policy dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "CityShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/place/test-city-without-country",
         "Violation", "https://w3id.org/ipckg/shapes#CityShape ipc:country", "https://w3id.org/ipckg/ontology#country",
         "A city or site must name its country with ipc:country."),
    },
    "CityShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/place/test-site-without-country",
         "Violation", "https://w3id.org/ipckg/shapes#CityShape ipc:country", "https://w3id.org/ipckg/ontology#country",
         "A city or site must name its country with ipc:country."),
    },
    "ClaimDatePlausibleShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-year-1850",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDatePlausibleShape", None,
         "The date 1850 is outside 1900-2100: check the year."),
    },
    "ClaimDatePlausibleShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-as-of-2150",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDatePlausibleShape", None,
         "The date 2150-01-01 is outside 1900-2100: check the year."),
    },
    "ClaimDatePlausibleShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/claim/test-period-end-0215",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDatePlausibleShape", None,
         "The date 0215 is outside 1900-2100: check the year."),
    },
    "ClaimDateValueShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-impossible-claimed-date",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDateValueShape rdf:object", "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
         "A claimed date must be a valid xsd:date (2015-12-02), xsd:gYearMonth (2015-08) or xsd:gYear (2015)."),
        ("https://w3id.org/ipckg/project/test-claimed-plant",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Project dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ClaimDateValueShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-claimed-month-13",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDateValueShape rdf:object", "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
         "A claimed date must be a valid xsd:date (2015-12-02), xsd:gYearMonth (2015-08) or xsd:gYear (2015)."),
    },
    "ClaimDomainShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-railway-electric-capacity",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDomainShape", None,
         "The property ipc:electricCapacity does not apply to project:test-claimed-railway: it applies to ipc:PowerPlantProject."),
    },
    "ClaimDomainShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-transfer-visitor",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDomainShape", None,
         "The property ipc:visitor does not apply to event:test-claimed-transfer: it applies to ipc:OfficialVisit."),
    },
    "ClaimDomainShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/claim/test-project-country",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimDomainShape", None,
         "The property ipc:country does not apply to project:test-claimed-plant: it applies to org:Organization or ipc:Place."),
    },
    "ClaimOccurrenceDateShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-opened-2020",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimOccurrenceDateShape", None,
         "The source source:li-gang-2016 was published on 2016, so it cannot report an actual "
         "ipc:operationStart on 2020. " + PLANNED_DATES),
    },
    "ClaimOccurrenceDateShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-completed-after-page",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimOccurrenceDateShape", None,
         "The source source:china-com-cn-2019-kuantan-steel was published on 2019-06-17, so it cannot report an actual "
         "ipc:completionDate on 2019-07. " + PLANNED_DATES),
    },
    "ClaimOccurrenceDateShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/claim/test-started-2099",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimOccurrenceDateShape", None,
         "An actual ipc:constructionStart on 2099-01-01 lies in the future. " + PLANNED_DATES),
    },
    "ClaimPeriodOrderShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-period-reversed",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimPeriodOrderShape", None,
         "The period ends (2015) before it starts (2016)."),
    },
    "ClaimPeriodOrderShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-period-month-before-day",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimPeriodOrderShape", None,
         "The period ends (2015-07) before it starts (2015-08-01)."),
    },
    "ClaimPeriodOrderShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/claim/test-period-day-before-year",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimPeriodOrderShape", None,
         "The period ends (2014-12-31) before it starts (2015)."),
    },
    "ClaimPropertyKnownShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-unknown-property",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimPropertyKnownShape", None,
         "The property schema:description is not a claimable property of the ipckg ontology (it has no rdfs:range or ipc:claimRange)."),
    },
    "ClaimPropertyKnownShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-misspelt-property",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimPropertyKnownShape", None,
         "The property ipc:hostcountry is not a claimable property of the ipckg ontology (it has no rdfs:range or ipc:claimRange)."),
    },
    "ClaimRankReasonShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-deprecated-without-reason",
         "Warning", "https://w3id.org/ipckg/shapes#ClaimRankReasonShape", None,
         "A preferred or deprecated claim should say why (ipc:rankReason)."),
    },
    "ClaimRankReasonShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-preferred-without-reason",
         "Warning", "https://w3id.org/ipckg/shapes#ClaimRankReasonShape", None,
         "A preferred or deprecated claim should say why (ipc:rankReason)."),
    },
    "ClaimShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-source",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape prov:wasDerivedFrom", "http://www.w3.org/ns/prov#wasDerivedFrom",
         "A claim comes from exactly one source document (prov:wasDerivedFrom an ipc:SourceDocument)."),
    },
    "ClaimShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-sources",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape prov:wasDerivedFrom", "http://www.w3.org/ns/prov#wasDerivedFrom",
         "A claim comes from exactly one source document (prov:wasDerivedFrom an ipc:SourceDocument)."),
    },
    "ClaimShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/claim/test-source-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape prov:wasDerivedFrom", "http://www.w3.org/ns/prov#wasDerivedFrom",
         "A claim comes from exactly one source document (prov:wasDerivedFrom an ipc:SourceDocument)."),
    },
    "ClaimShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-subject",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:subject", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
         "A claim is about exactly one entity (rdf:subject, an IRI)."),
    },
    "ClaimShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-subjects",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:subject", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
         "A claim is about exactly one entity (rdf:subject, an IRI)."),
    },
    "ClaimShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/claim/test-blank-subject",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:subject", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
         "A claim is about exactly one entity (rdf:subject, an IRI)."),
    },
    "ClaimShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-predicate",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:predicate", "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate",
         "A claim states exactly one property (rdf:predicate, an IRI)."),
    },
    "ClaimShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-predicates",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:predicate", "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate",
         "A claim states exactly one property (rdf:predicate, an IRI)."),
    },
    "ClaimShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-object",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:object", "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
         "A claim has exactly one value (rdf:object)."),
    },
    "ClaimShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-objects",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape rdf:object", "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
         "A claim has exactly one value (rdf:object)."),
    },
    "ClaimShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-claimant",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape prov:wasAttributedTo", "http://www.w3.org/ns/prov#wasAttributedTo",
         "A claim names who made it (prov:wasAttributedTo), a person or organisation of the graph."),
    },
    "ClaimShape-invalid-12.ttl": {
        ("https://w3id.org/ipckg/claim/test-claimant-document",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape prov:wasAttributedTo", "http://www.w3.org/ns/prov#wasAttributedTo",
         "A claim names who made it (prov:wasAttributedTo), a person or organisation of the graph."),
    },
    "ClaimShape-invalid-13.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-quote",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape", None, QUOTE_OR_PARAPHRASE),
    },
    "ClaimShape-invalid-14.ttl": {
        ("https://w3id.org/ipckg/claim/test-empty-quote",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:quote", "https://w3id.org/ipckg/ontology#quote",
         "A claim's quote is one non-empty plain string, the source's words verbatim (ipc:quote)."),
    },
    "ClaimShape-invalid-15.ttl": {
        ("https://w3id.org/ipckg/claim/test-tagged-quote",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:quote", "https://w3id.org/ipckg/ontology#quote",
         "A claim's quote is one non-empty plain string, the source's words verbatim (ipc:quote)."),
    },
    "ClaimShape-invalid-16.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-quotes",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:quote", "https://w3id.org/ipckg/ontology#quote",
         "A claim's quote is one non-empty plain string, the source's words verbatim (ipc:quote)."),
    },
    "ClaimShape-invalid-17.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-locator",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:locator", "https://w3id.org/ipckg/ontology#locator",
         "A claim says where in the source its quote stands (ipc:locator)."),
    },
    "ClaimShape-invalid-18.ttl": {
        ("https://w3id.org/ipckg/claim/test-integer-locator",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:locator", "https://w3id.org/ipckg/ontology#locator",
         "A claim says where in the source its quote stands (ipc:locator)."),
    },
    "ClaimShape-invalid-19.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-locators",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:locator", "https://w3id.org/ipckg/ontology#locator",
         "A claim says where in the source its quote stands (ipc:locator)."),
    },
    "ClaimShape-invalid-20.ttl": {
        ("https://w3id.org/ipckg/claim/test-no-rank",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:rank", "https://w3id.org/ipckg/ontology#rank",
         "A claim has exactly one rank: ipc:PreferredRank, ipc:NormalRank or ipc:DeprecatedRank."),
    },
    "ClaimShape-invalid-21.ttl": {
        ("https://w3id.org/ipckg/claim/test-bad-rank",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:rank", "https://w3id.org/ipckg/ontology#rank",
         "A claim has exactly one rank: ipc:PreferredRank, ipc:NormalRank or ipc:DeprecatedRank."),
    },
    "ClaimShape-invalid-22.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-ranks",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:rank", "https://w3id.org/ipckg/ontology#rank",
         "A claim has exactly one rank: ipc:PreferredRank, ipc:NormalRank or ipc:DeprecatedRank."),
    },
    "ClaimShape-invalid-23.ttl": {
        ("https://w3id.org/ipckg/claim/test-impossible-as-of",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape", None,
         "As-of and period dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ClaimShape-invalid-24.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-as-of",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:asOf", "https://w3id.org/ipckg/ontology#asOf",
         "A claim has at most one as-of date."),
    },
    "ClaimShape-invalid-25.ttl": {
        ("https://w3id.org/ipckg/claim/test-period-month-13",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape", None,
         "As-of and period dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ClaimShape-invalid-26.ttl": {
        ("https://w3id.org/ipckg/claim/test-untagged-stated-as",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape", None,
         "Stated-as wording, rank reasons, period descriptions and research topics are texts with a language tag."),
    },
    "ClaimShape-invalid-27.ttl": {
        ("https://w3id.org/ipckg/claim/test-untagged-rank-reason",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape", None,
         "Stated-as wording, rank reasons, period descriptions and research topics are texts with a language tag."),
    },
    "ClaimShape-invalid-28.ttl": {
        ("https://w3id.org/ipckg/claim/test-equity-120",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:shareOfEquity", "https://w3id.org/ipckg/ontology#shareOfEquity",
         "A share of equity is one percentage from 0 to 100."),
    },
    "ClaimShape-invalid-29.ttl": {
        ("https://w3id.org/ipckg/claim/test-equity-negative",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:shareOfEquity", "https://w3id.org/ipckg/ontology#shareOfEquity",
         "A share of equity is one percentage from 0 to 100."),
    },
    "ClaimShape-invalid-30.ttl": {
        ("https://w3id.org/ipckg/claim/test-equity-double",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:shareOfEquity", "https://w3id.org/ipckg/ontology#shareOfEquity",
         "A share of equity is one percentage from 0 to 100."),
    },
    "ClaimShape-invalid-31.ttl": {
        ("https://w3id.org/ipckg/claim/test-equity-two",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:shareOfEquity", "https://w3id.org/ipckg/ontology#shareOfEquity",
         "A share of equity is one percentage from 0 to 100."),
    },
    "ClaimShape-invalid-32.ttl": {
        ("https://w3id.org/ipckg/claim/test-origin-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape", None,
         "A claim's origin and destination are places."),
    },
    "ClaimShape-invalid-33.ttl": {
        ("https://w3id.org/ipckg/claim/test-stated-at-document",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:statedAt", "https://w3id.org/ipckg/ontology#statedAt",
         "A claim is stated at an event (ipc:Event)."),
    },
    "ClaimShape-invalid-34.ttl": {
        ("https://w3id.org/ipckg/claim/test-untagged-paraphrase",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:paraphrase", "https://w3id.org/ipckg/ontology#paraphrase",
         "A claim's paraphrase is one non-empty text with a language tag (ipc:paraphrase)."),
    },
    "ClaimShape-invalid-35.ttl": {
        ("https://w3id.org/ipckg/claim/test-two-paraphrases",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimShape ipc:paraphrase", "https://w3id.org/ipckg/ontology#paraphrase",
         "A claim's paraphrase is one non-empty text with a language tag (ipc:paraphrase)."),
    },
    "ClaimSubjectKnownShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-untyped-subject",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimSubjectKnownShape", None,
         "The claim's subject project:kuantan-steel-plnat is not an entity of the graph: it has no rdf:type."),
    },
    "ClaimUnitShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-capacity-in-dollars",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimUnitShape", None,
         "The unit unit:CCY_USD is not allowed for ipc:electricCapacity."),
    },
    "ClaimUnitShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-length-in-miles",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimUnitShape", None,
         "The unit unit:MI is not allowed for ipc:length."),
    },
    "ClaimValueFitsPropertyShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/claim/test-financing-country-string",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value China does not fit the property ipc:financingCountry: its values must be ipc:Country."),
    },
    "ClaimValueFitsPropertyShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/claim/test-financing-country-city",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value place:beijing does not fit the property ipc:financingCountry: its values must be ipc:Country."),
    },
    "ClaimValueFitsPropertyShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/claim/test-string-date",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value 2015-12-02 does not fit the property ipc:constructionStart: its values must be ipc:CalendarDate."),
        ("https://w3id.org/ipckg/project/test-claimed-plant",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Project dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ClaimValueFitsPropertyShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/claim/test-bare-growth-rate",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value 3.4 does not fit the property ipc:averageAnnualGrowthRate: its values must be qudt:QuantityValue."),
    },
    "ClaimValueFitsPropertyShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/claim/test-untagged-name",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value Test Steel Plant does not fit the property schema:name: its values must be rdf:langString."),
    },
    "ClaimValueFitsPropertyShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/claim/test-link-string",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value https://sws.geonames.org/1733046/ does not fit the property skos:exactMatch: its values must be rdfs:Resource."),
        ("https://w3id.org/ipckg/place/test-claimed-region",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "ConceptSchemeShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/sector/test-unlabelled-scheme",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "ConceptSchemeShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/sector/test-group-with-mode",
         "Violation", "https://w3id.org/ipckg/shapes#ConceptSchemeShape skos:member", "http://www.w3.org/2004/02/skos/core#member",
         "A sector group's members are sectors (ipc:Sector)."),
    },
    "CountryShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/country/test-no-alpha2",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha2", "https://w3id.org/ipckg/ontology#isoAlpha2",
         "A country has exactly one ISO 3166-1 alpha-2 code: two capital letters, such as MY."),
    },
    "CountryShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/country/test-two-alpha2",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha2", "https://w3id.org/ipckg/ontology#isoAlpha2",
         "A country has exactly one ISO 3166-1 alpha-2 code: two capital letters, such as MY."),
    },
    "CountryShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/country/test-lowercase-alpha2",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha2", "https://w3id.org/ipckg/ontology#isoAlpha2",
         "A country has exactly one ISO 3166-1 alpha-2 code: two capital letters, such as MY."),
    },
    "CountryShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/country/test-tagged-alpha2",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha2", "https://w3id.org/ipckg/ontology#isoAlpha2",
         "A country has exactly one ISO 3166-1 alpha-2 code: two capital letters, such as MY."),
    },
    "CountryShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/country/test-no-alpha3",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha3", "https://w3id.org/ipckg/ontology#isoAlpha3",
         "A country has exactly one ISO 3166-1 alpha-3 code: three capital letters, such as MYS."),
    },
    "CountryShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/country/test-long-alpha3",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha3", "https://w3id.org/ipckg/ontology#isoAlpha3",
         "A country has exactly one ISO 3166-1 alpha-3 code: three capital letters, such as MYS."),
    },
    "CountryShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/country/test-two-alpha3",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape ipc:isoAlpha3", "https://w3id.org/ipckg/ontology#isoAlpha3",
         "A country has exactly one ISO 3166-1 alpha-3 code: three capital letters, such as MYS."),
    },
    "CountryShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/country/malaysia",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape", None,
         "Another country, country:test-duplicate-code, has the same ISO 3166-1 code MY: each code belongs to one country."),
        ("https://w3id.org/ipckg/country/test-duplicate-code",
         "Violation", "https://w3id.org/ipckg/shapes#CountryShape", None,
         "Another country, country:malaysia, has the same ISO 3166-1 code MY: each code belongs to one country."),
    },
    "EventShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/event/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "EventShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/event/test-visitor-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape ipc:visitor", "https://w3id.org/ipckg/ontology#visitor",
         "A visitor is a person."),
    },
    "EventShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/event/test-visited-city",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape", None,
         "Visited, origin and recipient countries must be ipc:Country."),
    },
    "EventShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/event/test-month-13",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape", None,
         "Event dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "EventShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/event/test-location-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#location", "https://w3id.org/ipckg/ontology#location",
         "A location must be a place (an ipc:Place: country, region, city or site)."),
    },
    "EventShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/event/test-untagged-proposition",
         "Violation", "https://w3id.org/ipckg/shapes#proposition", "https://w3id.org/ipckg/ontology#proposition",
         "A proposition is a non-empty text with a language tag."),
    },
    "EventShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/event/test-recipient-region",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape", None,
         "Visited, origin and recipient countries must be ipc:Country."),
    },
    "EventShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/event/test-ends-before-start",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape", None,
         "The event ends (2015-11-27) before it starts (2015-11-30)."),
    },
    "EventShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/event/test-ends-year-before",
         "Violation", "https://w3id.org/ipckg/shapes#EventShape", None,
         "The event ends (2014) before it starts (2015-03-01)."),
    },
    "IndustrialParkShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/project/test-park-hosting-mode",
         "Violation", "https://w3id.org/ipckg/shapes#IndustrialParkShape ipc:hostedIndustry", "https://w3id.org/ipckg/ontology#hostedIndustry",
         "A hosted industry must be an ipc:Sector."),
    },
    "JointVentureShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/project/test-one-partner",
         "Violation", "https://w3id.org/ipckg/shapes#JointVentureShape ipc:partner", "https://w3id.org/ipckg/ontology#partner",
         "A joint venture needs at least two partners in the current view."),
    },
    "JointVentureShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/project/test-one-current-partner",
         "Violation", "https://w3id.org/ipckg/shapes#JointVentureShape ipc:partner", "https://w3id.org/ipckg/ontology#partner",
         "A joint venture needs at least two partners in the current view."),
    },
    "OrganisationShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/organisation/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "OrganisationShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/organisation/test-geonames",
         "Violation", "https://w3id.org/ipckg/shapes#noGeoNamesFeature", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "Only places link to GeoNames; this entity is not a place."),
    },
    "OrganisationShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/organisation/test-country-city",
         "Violation", "https://w3id.org/ipckg/shapes#country", "https://w3id.org/ipckg/ontology#country",
         "ipc:country names one country (an ipc:Country)."),
    },
    "OrganisationShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/organisation/test-two-countries",
         "Violation", "https://w3id.org/ipckg/shapes#country", "https://w3id.org/ipckg/ontology#country",
         "ipc:country names one country (an ipc:Country)."),
    },
    "OrganisationShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/organisation/test-impossible-founding",
         "Violation", "https://w3id.org/ipckg/shapes#foundingDate", "https://schema.org/foundingDate",
         "A founding date must be a valid xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "OrganisationShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/organisation/test-integer-founding",
         "Violation", "https://w3id.org/ipckg/shapes#foundingDate", "https://schema.org/foundingDate",
         "A founding date must be a valid xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "OrganisationShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/organisation/test-unit-of-person",
         "Violation", "https://w3id.org/ipckg/shapes#OrganisationShape", None,
         "An organisation can only be a unit of another organisation."),
    },
    "OrganisationShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/organisation/test-shareholder-place",
         "Violation", "https://w3id.org/ipckg/shapes#OrganisationShape", None,
         "Shareholders, joint-venture partners and suppliers must be organisations or people."),
    },
    "OrganisationShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/organisation/test-untagged-name",
         "Violation", "https://w3id.org/ipckg/shapes#OrganisationShape schema:name", "https://schema.org/name",
         "A name is a text with a language tag."),
    },
    "OrganisationShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/organisation/test-location-project",
         "Violation", "https://w3id.org/ipckg/shapes#location", "https://w3id.org/ipckg/ontology#location",
         "A location must be a place (an ipc:Place: country, region, city or site)."),
    },
    "OrganisationShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/organisation/test-two-wikidata",
         "Violation", "https://w3id.org/ipckg/shapes#oneWikidataItem", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An entity matches at most one Wikidata item: two items means one link is wrong."),
    },
    "PersonShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/person/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "PersonShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/person/test-two-names",
         "Violation", "https://w3id.org/ipckg/shapes#PersonShape foaf:name", "http://xmlns.com/foaf/0.1/name",
         "A person has at most one foaf:name, a plain string."),
    },
    "PersonShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/person/test-tagged-name",
         "Violation", "https://w3id.org/ipckg/shapes#PersonShape foaf:name", "http://xmlns.com/foaf/0.1/name",
         "A person has at most one foaf:name, a plain string."),
    },
    "PersonShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/person/test-member-of-country",
         "Violation", "https://w3id.org/ipckg/shapes#PersonShape", None,
         "A person is a member or head of, or researches at, an organisation."),
    },
    "PersonShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/person/test-untagged-job-title",
         "Violation", "https://w3id.org/ipckg/shapes#PersonShape", None,
         "Job titles, fields of study and degrees are texts with a language tag."),
    },
    "PersonShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/person/test-geonames",
         "Violation", "https://w3id.org/ipckg/shapes#noGeoNamesFeature", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "Only places link to GeoNames; this entity is not a place."),
    },
    "PlaceShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/place/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "PlaceShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/place/test-untagged-label",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "PlaceShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/place/test-two-labels",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "PlaceShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/place/test-wikidata-page",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/place/test-wikidata-property",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/place/test-wikidata-leading-zero",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/place/test-dbpedia-https",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/place/test-geonames-no-slash",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/place/test-geonames-page",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/place/test-link-literal",
         "Violation", "https://w3id.org/ipckg/shapes#exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An external link must be a Wikidata item (http://www.wikidata.org/entity/Q…), a DBpedia resource (http://dbpedia.org/resource/…) or a GeoNames feature (https://sws.geonames.org/NNN/)."),
    },
    "PlaceShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/place/test-two-wikidata-items",
         "Violation", "https://w3id.org/ipckg/shapes#oneWikidataItem", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An entity matches at most one Wikidata item: two items means one link is wrong."),
    },
    "PlaceShape-invalid-12.ttl": {
        ("https://w3id.org/ipckg/place/test-two-geonames-features",
         "Violation", "https://w3id.org/ipckg/shapes#oneGeoNamesFeature", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "A place matches at most one GeoNames feature."),
    },
    "PlaceShape-invalid-13.ttl": {
        ("https://w3id.org/ipckg/country/malaysia",
         "Violation", "https://w3id.org/ipckg/shapes#oneWikidataItem", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An entity matches at most one Wikidata item: two items means one link is wrong."),
    },
    "PlaceShape-invalid-14.ttl": {
        ("https://w3id.org/ipckg/place/test-country-is-city",
         "Violation", "https://w3id.org/ipckg/shapes#country", "https://w3id.org/ipckg/ontology#country",
         "ipc:country names one country (an ipc:Country)."),
    },
    "PlaceShape-invalid-15.ttl": {
        ("https://w3id.org/ipckg/place/test-two-countries",
         "Violation", "https://w3id.org/ipckg/shapes#country", "https://w3id.org/ipckg/ontology#country",
         "ipc:country names one country (an ipc:Country)."),
    },
    "PolicyShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/policy/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "PolicyShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/policy/test-issued-by-policy",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:issuedBy", "https://w3id.org/ipckg/ontology#issuedBy",
         "A policy is issued by an organisation or person."),
    },
    "PolicyShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/policy/test-empty-number",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:documentNumber", "https://w3id.org/ipckg/ontology#documentNumber",
         "A document number is a non-empty plain string."),
    },
    "PolicyShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/policy/test-integer-number",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:documentNumber", "https://w3id.org/ipckg/ontology#documentNumber",
         "A document number is a non-empty plain string."),
    },
    "PolicyShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/policy/test-impossible-signing",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape", None,
         "Policy dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "PolicyShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/policy/test-month-13",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape", None,
         "Policy dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "PolicyShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/policy/test-focus-mode",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:focusSector", "https://w3id.org/ipckg/ontology#focusSector",
         "A focus sector must be an ipc:Sector."),
    },
    "PolicyShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/policy/test-zero-count",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:focusSectorCount", "https://w3id.org/ipckg/ontology#focusSectorCount",
         "The number of focus sectors is a whole number from 1 to 100."),
    },
    "PolicyShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/policy/test-count-101",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:focusSectorCount", "https://w3id.org/ipckg/ontology#focusSectorCount",
         "The number of focus sectors is a whole number from 1 to 100."),
    },
    "PolicyShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/policy/test-decimal-count",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:focusSectorCount", "https://w3id.org/ipckg/ontology#focusSectorCount",
         "The number of focus sectors is a whole number from 1 to 100."),
    },
    "PolicyShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/policy/test-implements-sector",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape", None,
         "A policy promotes, follows or implements another policy."),
    },
    "PolicyShape-invalid-12.ttl": {
        ("https://w3id.org/ipckg/policy/test-mode-sector",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:cooperationMode", "https://w3id.org/ipckg/ontology#cooperationMode",
         "A cooperation mode must be an ipc:CooperationMode."),
    },
    "PolicyShape-invalid-13.ttl": {
        ("https://w3id.org/ipckg/policy/test-region-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:targetRegion", "https://w3id.org/ipckg/ontology#targetRegion",
         "A target region must be a place."),
    },
    "PolicyShape-invalid-14.ttl": {
        ("https://w3id.org/ipckg/policy/test-group-sector",
         "Violation", "https://w3id.org/ipckg/shapes#PolicyShape ipc:sectorGroup", "https://w3id.org/ipckg/ontology#sectorGroup",
         "A sector group is a skos:Collection."),
    },
    "ProjectShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/project/test-no-host-country",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:hostCountry", "https://w3id.org/ipckg/ontology#hostCountry",
         "A project needs at least one host country, and a host country must be an ipc:Country."),
    },
    "ProjectShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/project/test-host-city",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:hostCountry", "https://w3id.org/ipckg/ontology#hostCountry",
         "A project needs at least one host country, and a host country must be an ipc:Country."),
    },
    "ProjectShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/project/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "ProjectShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/project/test-geonames",
         "Violation", "https://w3id.org/ipckg/shapes#noGeoNamesFeature", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "Only places link to GeoNames; this entity is not a place."),
    },
    "ProjectShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/project/test-two-wikidata",
         "Violation", "https://w3id.org/ipckg/shapes#oneWikidataItem", "http://www.w3.org/2004/02/skos/core#exactMatch",
         "An entity matches at most one Wikidata item: two items means one link is wrong."),
    },
    "ProjectShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/project/test-location-company",
         "Violation", "https://w3id.org/ipckg/shapes#location", "https://w3id.org/ipckg/ontology#location",
         "A location must be a place (an ipc:Place: country, region, city or site)."),
    },
    "ProjectShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/project/test-untagged-proposition",
         "Violation", "https://w3id.org/ipckg/shapes#proposition", "https://w3id.org/ipckg/ontology#proposition",
         "A proposition is a non-empty text with a language tag."),
    },
    "ProjectShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/project/test-empty-proposition",
         "Violation", "https://w3id.org/ipckg/shapes#proposition", "https://w3id.org/ipckg/ontology#proposition",
         "A proposition is a non-empty text with a language tag."),
    },
    "ProjectShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/project/test-sector-group",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:sector", "https://w3id.org/ipckg/ontology#sector",
         "A project's sector must be an ipc:Sector."),
    },
    "ProjectShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/project/test-impossible-date",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Project dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ProjectShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/project/test-month-13",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Project dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ProjectShape-invalid-12.ttl": {
        ("https://w3id.org/ipckg/project/test-string-date",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Project dates must be valid xsd:date, xsd:gYearMonth or xsd:gYear values."),
    },
    "ProjectShape-invalid-13.ttl": {
        ("https://w3id.org/ipckg/project/test-bare-investment",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Amounts, capacities and counts are qudt:QuantityValue nodes with a number and a unit, not bare numbers."),
    },
    "ProjectShape-invalid-14.ttl": {
        ("https://w3id.org/ipckg/project/test-investor-country",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Investors, partners, developers, builders and operators must be organisations or people."),
    },
    "ProjectShape-invalid-15.ttl": {
        ("https://w3id.org/ipckg/project/test-part-of-policy",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:partOf", "https://w3id.org/ipckg/ontology#partOf",
         "A project can only be part of another project."),
    },
    "ProjectShape-invalid-16.ttl": {
        ("https://w3id.org/ipckg/project/test-part-of-itself",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "A project cannot be part of itself."),
    },
    "ProjectShape-invalid-17.ttl": {
        ("https://w3id.org/ipckg/project/test-near-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:near", "https://w3id.org/ipckg/ontology#near",
         "A project is near a place (an ipc:Place)."),
    },
    "ProjectShape-invalid-18.ttl": {
        ("https://w3id.org/ipckg/project/test-bad-status",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:status", "https://w3id.org/ipckg/ontology#status",
         "A project's status is ipc:Planned, ipc:UnderConstruction or ipc:InOperation."),
    },
    "ProjectShape-invalid-19.ttl": {
        ("https://w3id.org/ipckg/project/test-establishes-project",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:establishes", "https://w3id.org/ipckg/ontology#establishes",
         "A joint venture establishes an organisation."),
    },
    "ProjectShape-invalid-20.ttl": {
        ("https://w3id.org/ipckg/project/test-untagged-product",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape", None,
         "Products, technologies, distinctions and designations are texts with a language tag."),
    },
    "ProjectShape-invalid-21.ttl": {
        ("https://w3id.org/ipckg/claim/test-kuantan-steel-plant-host-city",
         "Violation", "https://w3id.org/ipckg/shapes#ClaimValueFitsPropertyShape", None,
         "The value place:kuantan does not fit the property ipc:hostCountry: its values must be ipc:Country."),
        ("https://w3id.org/ipckg/project/kuantan-steel-plant",
         "Violation", "https://w3id.org/ipckg/shapes#ProjectShape ipc:hostCountry", "https://w3id.org/ipckg/ontology#hostCountry",
         "A project needs at least one host country, and a host country must be an ipc:Country."),
    },
    "QuantityValueShape-invalid-01.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape qudt:unit", "http://qudt.org/schema/qudt/unit",
         "A quantity has exactly one QUDT unit or currency (http://qudt.org/vocab/unit/…)."),
    },
    "QuantityValueShape-invalid-02.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape qudt:unit", "http://qudt.org/schema/qudt/unit",
         "A quantity has exactly one QUDT unit or currency (http://qudt.org/vocab/unit/…)."),
    },
    "QuantityValueShape-invalid-03.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape qudt:unit", "http://qudt.org/schema/qudt/unit",
         "A quantity has exactly one QUDT unit or currency (http://qudt.org/vocab/unit/…)."),
    },
    "QuantityValueShape-invalid-04.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape qudt:numericValue", "http://qudt.org/schema/qudt/numericValue",
         "A quantity has at most one number, an xsd:integer, xsd:decimal or xsd:double."),
    },
    "QuantityValueShape-invalid-05.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape qudt:numericValue", "http://qudt.org/schema/qudt/numericValue",
         "A quantity has at most one number, an xsd:integer, xsd:decimal or xsd:double."),
    },
    "QuantityValueShape-invalid-06.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape", None,
         "Range bounds are xsd:integer or xsd:decimal numbers."),
    },
    "QuantityValueShape-invalid-07.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape ipc:lowerBound", "https://w3id.org/ipckg/ontology#lowerBound",
         "A range has at most one lower bound, and it must not exceed its upper bound."),
    },
    "QuantityValueShape-invalid-08.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape ipc:lowerBound", "https://w3id.org/ipckg/ontology#lowerBound",
         "A range has at most one lower bound, and it must not exceed its upper bound."),
    },
    "QuantityValueShape-invalid-09.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape ipc:comparator", "https://w3id.org/ipckg/ontology#comparator",
         "A comparator is one of ipc:Approximately, ipc:MoreThan, ipc:LessThan, ipc:AtLeast."),
    },
    "QuantityValueShape-invalid-10.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape ipc:comparator", "https://w3id.org/ipckg/ontology#comparator",
         "A comparator is one of ipc:Approximately, ipc:MoreThan, ipc:LessThan, ipc:AtLeast."),
    },
    "QuantityValueShape-invalid-11.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape", None,
         "A quantity has either one number (qudt:numericValue) or a range (ipc:lowerBound and ipc:upperBound), not both."),
    },
    "QuantityValueShape-invalid-12.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape", None,
         "A quantity has either one number (qudt:numericValue) or a range (ipc:lowerBound and ipc:upperBound), not both."),
    },
    "QuantityValueShape-invalid-13.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape", None,
         "A quantity has either one number (qudt:numericValue) or a range (ipc:lowerBound and ipc:upperBound), not both."),
    },
    "QuantityValueShape-invalid-14.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape", None,
         "The amount -1400000000 is negative: amounts, capacities and counts cannot be below zero."),
    },
    "QuantityValueShape-invalid-15.ttl": {
        ("_:",
         "Violation", "https://w3id.org/ipckg/shapes#QuantityValueShape", None,
         "The amount -100 is negative: amounts, capacities and counts cannot be below zero."),
    },
    "RailwayProjectShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/project/test-three-termini",
         "Violation", "https://w3id.org/ipckg/shapes#RailwayProjectShape ipc:terminus", "https://w3id.org/ipckg/ontology#terminus",
         "A railway line has at most two termini, each an ipc:Place."),
    },
    "RailwayProjectShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/project/test-terminus-organisation",
         "Violation", "https://w3id.org/ipckg/shapes#RailwayProjectShape ipc:terminus", "https://w3id.org/ipckg/ontology#terminus",
         "A railway line has at most two termini, each an ipc:Place."),
    },
    "RailwayProjectShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/project/test-connects-with-plant",
         "Violation", "https://w3id.org/ipckg/shapes#RailwayProjectShape ipc:connectsWith", "https://w3id.org/ipckg/ontology#connectsWith",
         "A railway connects with another railway project."),
    },
    "SectorShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/industry/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "SectorShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/industry/test-no-preflabel",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:prefLabel", "http://www.w3.org/2004/02/skos/core#prefLabel",
         "A concept needs a skos:prefLabel, at most one per language."),
    },
    "SectorShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/industry/test-two-preflabels",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:prefLabel", "http://www.w3.org/2004/02/skos/core#prefLabel",
         "A concept needs a skos:prefLabel, at most one per language."),
    },
    "SectorShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/industry/test-untagged-preflabel",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:prefLabel", "http://www.w3.org/2004/02/skos/core#prefLabel",
         "A concept needs a skos:prefLabel, at most one per language."),
    },
    "SectorShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/industry/test-no-scheme",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:inScheme", "http://www.w3.org/2004/02/skos/core#inScheme",
         "A concept belongs to a concept scheme (skos:inScheme a skos:ConceptScheme)."),
    },
    "SectorShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/industry/test-scheme-is-sector",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:inScheme", "http://www.w3.org/2004/02/skos/core#inScheme",
         "A concept belongs to a concept scheme (skos:inScheme a skos:ConceptScheme)."),
    },
    "SectorShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/industry/test-broadmatch-mode",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:broadMatch", "http://www.w3.org/2004/02/skos/core#broadMatch",
         "An industry maps to a broader sector (an ipc:Sector)."),
    },
    "SectorShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/industry/test-untyped-notation",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:notation", "http://www.w3.org/2004/02/skos/core#notation",
         "A sector notation is an ISIC Rev.4 code (2 to 4 digits), a NACE Rev.2 code (24 or 24.10) or an OECD CRS purpose code (3 or 5 digits), typed with its code datatype."),
    },
    "SectorShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/industry/test-long-isic",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:notation", "http://www.w3.org/2004/02/skos/core#notation",
         "A sector notation is an ISIC Rev.4 code (2 to 4 digits), a NACE Rev.2 code (24 or 24.10) or an OECD CRS purpose code (3 or 5 digits), typed with its code datatype."),
    },
    "SectorShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/industry/test-bad-nace",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:notation", "http://www.w3.org/2004/02/skos/core#notation",
         "A sector notation is an ISIC Rev.4 code (2 to 4 digits), a NACE Rev.2 code (24 or 24.10) or an OECD CRS purpose code (3 or 5 digits), typed with its code datatype."),
    },
    "SectorShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/industry/test-bad-crs",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:notation", "http://www.w3.org/2004/02/skos/core#notation",
         "A sector notation is an ISIC Rev.4 code (2 to 4 digits), a NACE Rev.2 code (24 or 24.10) or an OECD CRS purpose code (3 or 5 digits), typed with its code datatype."),
    },
    "SectorShape-invalid-12.ttl": {
        ("https://w3id.org/ipckg/cooperation-mode/test-mode-no-preflabel",
         "Violation", "https://w3id.org/ipckg/shapes#SectorShape skos:prefLabel", "http://www.w3.org/2004/02/skos/core#prefLabel",
         "A concept needs a skos:prefLabel, at most one per language."),
    },
    "SourceDocumentShape-invalid-01.ttl": {
        ("https://w3id.org/ipckg/source/test-anonymous",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape", None,
         "A source document names its author (dcterms:creator) or publisher (dcterms:publisher), an organisation or person."),
    },
    "SourceDocumentShape-invalid-02.ttl": {
        ("https://w3id.org/ipckg/source/test-published-by-place",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape", None,
         "A source document names its author (dcterms:creator) or publisher (dcterms:publisher), an organisation or person."),
    },
    "SourceDocumentShape-invalid-03.ttl": {
        ("https://w3id.org/ipckg/source/test-two-dates",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape dcterms:issued", "http://purl.org/dc/terms/issued",
         "A source document has at most one issue date, a valid xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "SourceDocumentShape-invalid-04.ttl": {
        ("https://w3id.org/ipckg/source/test-impossible-date",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape dcterms:issued", "http://purl.org/dc/terms/issued",
         "A source document has at most one issue date, a valid xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "SourceDocumentShape-invalid-05.ttl": {
        ("https://w3id.org/ipckg/source/test-string-url",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape schema:url", "https://schema.org/url",
         "A source document's URL is one http(s) address typed xsd:anyURI."),
    },
    "SourceDocumentShape-invalid-06.ttl": {
        ("https://w3id.org/ipckg/source/test-ftp-url",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape schema:url", "https://schema.org/url",
         "A source document's URL is one http(s) address typed xsd:anyURI."),
    },
    "SourceDocumentShape-invalid-07.ttl": {
        ("https://w3id.org/ipckg/source/test-two-urls",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape schema:url", "https://schema.org/url",
         "A source document's URL is one http(s) address typed xsd:anyURI."),
    },
    "SourceDocumentShape-invalid-08.ttl": {
        ("https://w3id.org/ipckg/source/test-language-name",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape dcterms:language", "http://purl.org/dc/terms/language",
         "A document's language is one ISO 639 code such as en or zh."),
    },
    "SourceDocumentShape-invalid-09.ttl": {
        ("https://w3id.org/ipckg/source/test-two-languages",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape dcterms:language", "http://purl.org/dc/terms/language",
         "A document's language is one ISO 639 code such as en or zh."),
    },
    "SourceDocumentShape-invalid-10.ttl": {
        ("https://w3id.org/ipckg/source/test-unlabelled",
         "Violation", "https://w3id.org/ipckg/shapes#label", "http://www.w3.org/2000/01/rdf-schema#label",
         "Every entity needs a label: at least one rdfs:label with a language tag, at most one per language."),
    },
    "SourceDocumentShape-invalid-11.ttl": {
        ("https://w3id.org/ipckg/source/test-dated-2099",
         "Violation", "https://w3id.org/ipckg/shapes#SourceDocumentShape", None,
         "The document is dated 2099-03, after today: check the year."),
    },
}


@pytest.fixture(scope="module")
def validated(project, store):
    """Validate each fixture once; returns (report, new assertions) for a fixture's file name."""
    cache = {}

    def validate(name):
        if name not in cache:
            # The shapes alone, without the admission rules (tests/test_admission.py): a
            # fixture states bare facts on purpose, as the view would hold them.
            new = NewAssertions.read([FIXTURES / name])
            data, focus = change_context(store, project, new.graph)
            cache[name] = validate_graph(data, load_shapes(project), focus=focus, new=new), new
        return cache[name]

    return validate


def results(report):
    return {("_:" if r.focus.startswith("_:") else r.focus, r.severity, r.shape, r.path, r.message)
            for r in report.results}


def first_line(name):
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()[0]


def named_node_shapes():
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    return sorted(str(node)[len(SHAPES):] for node in shapes.subjects(RDF.type, SH.NodeShape)
                  if isinstance(node, URIRef) and str(node).startswith(SHAPES))


def test_every_named_node_shape_has_valid_and_invalid_fixtures():
    shapes = named_node_shapes()
    assert {"ClaimShape", "QuantityValueShape", "CalendarDateValue"} <= set(shapes)
    fixtures = {(FIXTURE_NAME.match(name)["shape"], FIXTURE_NAME.match(name)["kind"]) for name in VALID + INVALID}
    assert [(shape, kind) for shape in shapes for kind in ("valid", "invalid") if (shape, kind) not in fixtures] == []


def test_fixtures_are_named_after_shapes():
    shapes = set(named_node_shapes())
    assert [name for name in VALID + INVALID
            if not FIXTURE_NAME.match(name) or FIXTURE_NAME.match(name)["shape"] not in shapes] == []


def test_every_invalid_fixture_has_its_expected_results():
    assert sorted(EXPECTED) == INVALID


@pytest.mark.parametrize("name", VALID)
def test_valid_fixture_conforms_without_warnings(validated, name):
    assert first_line(name).startswith("# Valid: ")
    report, _ = validated(name)
    assert report.results == []
    assert report.conforms


@pytest.mark.parametrize("name", INVALID)
def test_invalid_fixture_gets_exactly_the_expected_results(validated, name):
    assert first_line(name).startswith("# ") and len(first_line(name)) > len("# ")
    report, _ = validated(name)
    assert results(report) == EXPECTED[name]
    # SHACL: any result, whatever its severity, means the data does not conform.
    assert report.conforms is False
    assert report.fails() == any(severity == "Violation" for _, severity, _, _, _ in EXPECTED[name])


@pytest.mark.parametrize("name", INVALID)
def test_results_point_at_a_line_of_the_fixture(validated, name):
    """A result about a node the fixture describes gives the fixture and a line of Turtle in it."""
    report, new = validated(name)
    path = FIXTURES / name
    lines = path.read_text(encoding="utf-8").splitlines()
    described = {f"_:{node}" if isinstance(node, BNode) else str(node) for node in new.graph.subjects()}
    located = [r for r in report.results if r.focus in described]
    for result in located:
        assert result.file == str(path), result
        assert isinstance(result.line, int) and 1 <= result.line <= len(lines), result
        assert lines[result.line - 1].strip() and not lines[result.line - 1].startswith(("#", "@prefix")), result
