"""Links from the graph's entities to Wikidata, DBpedia and GeoNames: find, review, apply.

The workflow has three steps:

1. :func:`find_candidates` takes the entities that have no link to the
   target yet (:func:`entities_to_link`), looks their labels up on the
   target's SPARQL endpoint by exact label match, reads each candidate's
   labels, types and country, and scores it (see *Scoring*).
2. :func:`write_review` writes the candidates to an SSSOM/TSV review file
   that a curator edits (see *Review convention*).
3. :func:`apply_review` turns the accepted rows into link claims, validates
   them in the context of the graph and adds them under ``data/added/``;
   rejected rows are remembered in ``data/links/rejected.sssom.tsv`` and
   never proposed again.

Queries sent to an endpoint carry the entities' labels as RDF terms in
VALUES blocks written by pyoxigraph (N-Triples syntax), never pasted into
the query text.

Review convention (SSSOM/TSV)
-----------------------------
Every candidate is a row ``subject_id skos:exactMatch object_id`` with
``mapping_justification semapv:LexicalMatching`` (a machine proposal),
its total score in ``confidence``, the per-feature scores in ``other``
(``type=1.000|label=1.000|country=1.000|language=1.000``) and the
justification in ``comment``.  The curator decides row by row:

* accept: set ``mapping_justification`` to ``semapv:MappingReview``
  (``semapv:ManualMappingCuration`` is accepted too);
* reject: set ``predicate_modifier`` to ``Not`` (SSSOM's negated mapping);
* leave the row as it is, or delete it: undecided, nothing happens and the
  candidate may be proposed again.

With ``accept_above=SCORE``, an undecided row is accepted too when its
confidence is at least SCORE and it is the only undecided row of its
subject at or above SCORE (two close candidates are left to the curator).
A rejection wins over everything else.

Scoring
-------
Four features, each in [0, 1]:

* ``label``: 1 when a label or alternative label of the candidate equals
  one of the entity's in the same language after normalisation (case,
  accents, punctuation and spacing ignored); otherwise the best
  ``difflib`` ratio of normalised labels in a shared language; pairs of
  different languages count 0.9 times their similarity.
* ``type``: 1 when one of the candidate's classes (instance of, with its
  superclasses where the target has a subclass property) is one the target
  maps the entity's class to (``Target.types``), else 0.
* ``country``: 0.5 when the entity has no country or the candidate none;
  otherwise, when the entity's country is itself linked to the target,
  1 if that link is one of the candidate's countries, else 0; when it is
  not linked yet, 1 if the candidate's country has a label equal to one of
  our country's labels, else 0.
* ``language``: the share of the entity's label languages in which the
  candidate has an equal label.

The total (the SSSOM ``confidence``) is
``0.5*type + 0.3*label + 0.15*country + 0.05*language``: the type weighs
as much as all other features together, so a candidate of the wrong kind
(a company named like a city) never outranks one of the right kind.
Candidates are ranked by total, then type, then label.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from . import __version__
from .curation import ADDED_DIR, review_files
from .endpoint import Endpoint
from .errors import InputError, UsageError
from .namespaces import BASE, ONTOLOGY, PREFIXES, XSD, expand
from .project import Project
from .report import Report, ValidationResult
from .sparql import values_block
from .store import GraphStore, Progress, open_store
from .transaction import commit, replace_file, writer_lock

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
IPC = ONTOLOGY
RDFS_LABEL = RDFS + "label"
SKOS_ALT_LABEL = SKOS + "altLabel"
EXACT_MATCH = SKOS + "exactMatch"
SEMAPV = "https://w3id.org/semapv/vocab/"
LEXICAL_MATCHING = SEMAPV + "LexicalMatching"
MAPPING_REVIEW = SEMAPV + "MappingReview"
MANUAL_CURATION = SEMAPV + "ManualMappingCuration"
ACCEPTING_JUSTIFICATIONS = (MAPPING_REVIEW, MANUAL_CURATION)
CLAIMANT = PREFIXES["organisation"] + "ipckg"
REJECTIONS_FILE = Path("links") / "rejected.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

WEIGHTS: dict[str, float] = {"type": 0.5, "label": 0.3, "country": 0.15, "language": 0.05}
"""Weights of the per-feature scores in the total; they sum to 1."""

ENTITY_BATCH = 25  # entities per label query
ITEM_BATCH = 100  # candidates per detail query
CROSS_LANGUAGE = 0.9  # similarity factor for labels of different languages

Progress = Callable[[str, int, int], None]

# ---------------------------------------------------------------- targets

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
DBO = "http://dbpedia.org/ontology/"
GN = "http://www.geonames.org/ontology#"


@dataclass(frozen=True)
class Target:
    """A linked-data hub the graph links to, and how to read it."""

    name: str
    title: str
    endpoint: str | None
    """Default SPARQL endpoint; None when there is no public one."""
    namespace: str
    """Every item IRI of the target starts with this."""
    types: Mapping[str, tuple[str, ...]]
    """Our class IRI -> the target's class IRIs an entity of that class may match."""
    type_property: str
    subclass_property: str | None
    """Followed (zero or more times) from the candidate's classes; None: classes compared as they are."""
    country_property: str
    label_properties: tuple[str, ...]
    description_property: str | None = None
    plain_labels: bool = False
    """Whether the target's names may be plain strings without a language tag (GeoNames)."""
    search_languages: tuple[str, ...] = ("en",)
    """Languages every label is also looked up in, besides its own and the entity's others."""
    source: str = ""
    """The SSSOM object_source: the target's identifier space."""

    def classes_for(self, ours: Iterable[str]) -> tuple[str, ...]:
        found: list[str] = []
        for cls in ours:
            found += [c for c in self.types.get(cls, ()) if c not in found]
        return tuple(found)

    @property
    def all_classes(self) -> tuple[str, ...]:
        return tuple(sorted({c for classes in self.types.values() for c in classes}))


def _wd(*ids: str) -> tuple[str, ...]:
    return tuple(WD + i for i in ids)


TARGETS: dict[str, Target] = {
    "wikidata": Target(
        name="wikidata",
        title="Wikidata",
        endpoint="https://query.wikidata.org/sparql",
        namespace=WD + "Q",
        types={
            IPC + "Place": _wd("Q2221906"),  # geographic location
            IPC + "Country": _wd("Q6256", "Q3624078"),  # country, sovereign state
            IPC + "City": _wd("Q515", "Q1549591", "Q486972"),  # city, big city, human settlement
            IPC + "Region": _wd("Q82794", "Q10864048", "Q5107"),  # geographic region, first-level division, continent
            IPC + "Site": _wd("Q486972", "Q2221906"),  # human settlement, geographic location
            ORG + "Organization": _wd("Q43229"),  # organization
            IPC + "Company": _wd("Q4830453", "Q783794"),  # business, company
            IPC + "GovernmentBody": _wd("Q327333", "Q2659904"),  # government agency, government organization
            IPC + "ResearchInstitute": _wd("Q31855"),  # research institute
            IPC + "University": _wd("Q3918"),  # university
            IPC + "InternationalOrganisation": _wd("Q484652"),  # international organization
            # newspaper, magazine, website, organization
            IPC + "MediaOrganisation": _wd("Q11032", "Q41298", "Q35127", "Q43229"),
            FOAF + "Person": _wd("Q5"),  # human
            IPC + "Project": _wd("Q170584"),  # project
            IPC + "RailwayProject": _wd("Q728937"),  # railway line
            IPC + "PowerPlantProject": _wd("Q159719"),  # power station
            IPC + "NuclearPowerProject": _wd("Q134447"),  # nuclear power plant
            IPC + "ManufacturingPlantProject": _wd("Q83405"),  # factory
            IPC + "IndustrialParkProject": _wd("Q329683"),  # industrial park
            IPC + "JointVentureProject": _wd("Q4830453"),  # business
            IPC + "Policy": _wd("Q1156854"),  # policy
        },
        type_property=WDT + "P31",
        subclass_property=WDT + "P279",
        country_property=WDT + "P17",
        label_properties=(RDFS_LABEL, SKOS_ALT_LABEL),
        description_property="http://schema.org/description",
        search_languages=("en", "mul"),  # "mul": Wikidata's default label for all languages
        source=WD,
    ),
    "dbpedia": Target(
        name="dbpedia",
        title="DBpedia",
        endpoint="https://dbpedia.org/sparql",
        namespace="http://dbpedia.org/resource/",
        types={
            IPC + "Place": (DBO + "Place",),
            IPC + "Country": (DBO + "Country",),
            IPC + "City": (DBO + "City", DBO + "Town", DBO + "Settlement"),
            IPC + "Region": (DBO + "Region", DBO + "AdministrativeRegion", DBO + "Continent"),
            IPC + "Site": (DBO + "Place",),
            ORG + "Organization": (DBO + "Organisation",),
            IPC + "Company": (DBO + "Company",),
            IPC + "GovernmentBody": (DBO + "GovernmentAgency",),
            IPC + "University": (DBO + "University",),
            IPC + "ResearchInstitute": (DBO + "Organisation",),
            IPC + "InternationalOrganisation": (DBO + "Organisation",),
            IPC + "MediaOrganisation": (DBO + "Newspaper", DBO + "Magazine", DBO + "Organisation"),
            FOAF + "Person": (DBO + "Person",),
            IPC + "RailwayProject": (DBO + "RailwayLine",),
            IPC + "PowerPlantProject": (DBO + "PowerStation",),
        },
        type_property=RDF + "type",
        subclass_property=RDFS + "subClassOf",
        country_property=DBO + "country",
        label_properties=(RDFS_LABEL, FOAF + "name"),
        description_property=RDFS + "comment",
        source="http://dbpedia.org/resource/",
    ),
    "geonames": Target(
        name="geonames",
        title="GeoNames",
        endpoint=None,  # GeoNames has no public SPARQL endpoint: pass one (a mirror)
        namespace="https://sws.geonames.org/",
        types={
            IPC + "Country": (GN + "A.PCLI",),
            IPC + "City": tuple(GN + c for c in ("P.PPL", "P.PPLA", "P.PPLA2", "P.PPLA3", "P.PPLA4", "P.PPLC")),
            IPC + "Region": (GN + "A.ADM1", GN + "L.CONT", GN + "L.RGN"),
            IPC + "Site": (GN + "P.PPL", GN + "P.PPLX", GN + "L.LCTY"),
        },
        type_property=GN + "featureCode",
        subclass_property=None,
        country_property=GN + "parentCountry",
        label_properties=(GN + "name", GN + "alternateName", GN + "officialName"),
        plain_labels=True,
        source="https://sws.geonames.org/",
    ),
}


def get_target(target: str | Target) -> Target:
    if isinstance(target, Target):
        return target
    try:
        return TARGETS[target]
    except KeyError:
        raise UsageError(f"Unknown link target {target!r}: choose one of {', '.join(TARGETS)}.") from None


# ------------------------------------------------------------ data model


class Label(NamedTuple):
    text: str
    language: str  # "" for a plain string
    field: str  # the property IRI it came from

    def show(self) -> str:
        return f"“{self.text}”@{self.language}" if self.language else f"“{self.text}”"


@dataclass(frozen=True)
class LinkEntity:
    """An entity of the graph that has no link to a target yet, with what helps find one."""

    iri: str
    label: str
    labels: tuple[Label, ...]
    classes: tuple[str, ...]
    """The most specific of our classes the target has a type mapping for."""
    country: str | None = None
    country_labels: tuple[Label, ...] = ()
    country_link: str | None = None
    """The country's own link on the target, if it has one."""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({label.language for label in self.labels}))


@dataclass(frozen=True)
class Candidate:
    """A possible link of one entity, scored."""

    entity: str
    entity_label: str
    target: str
    match: str
    match_label: str
    score: float
    features: dict[str, float]
    justification: str
    entity_class: str | None = None
    match_class: str | None = None
    match_string: str | None = None
    subject_match_field: str | None = None
    object_match_field: str | None = None


@dataclass
class _Item:
    """What the target says about a candidate item."""

    iri: str
    labels: list[Label] = field(default_factory=list)
    classes: dict[str, str | None] = field(default_factory=dict)  # class -> its English label
    reached: dict[str, set[str]] = field(default_factory=dict)  # class -> expected classes it is a kind of
    countries: dict[str, list[Label]] = field(default_factory=dict)
    description: str | None = None


@dataclass(frozen=True)
class ReviewRow:
    """One row of a review or rejections file, IRIs expanded."""

    line: int
    subject: str
    subject_label: str
    predicate: str
    modifier: str
    object: str
    object_label: str
    justification: str
    confidence: float | None
    comment: str
    values: Mapping[str, str]

    @property
    def rejected(self) -> bool:
        return self.modifier == "Not"

    @property
    def curated(self) -> bool:
        return not self.rejected and self.justification in ACCEPTING_JUSTIFICATIONS


@dataclass
class ApplyResult:
    """What `apply_review` did with each row of a review file."""

    report: Report
    accepted: list[ReviewRow] = field(default_factory=list)
    rejected: list[ReviewRow] = field(default_factory=list)
    undecided: list[ReviewRow] = field(default_factory=list)
    ambiguous: list[ReviewRow] = field(default_factory=list)
    """Rows above the threshold alongside another of the same subject: left to the curator."""
    skipped: list[ReviewRow] = field(default_factory=list)
    """Accepted rows whose link the graph already has, rejected rows already remembered."""
    written: list[Path] = field(default_factory=list)
    turtle: str = ""
    """The link claims generated from the accepted rows (also when validation failed)."""

    @property
    def conforms(self) -> bool:
        return not self.report.fails()


# ------------------------------------------------------ entities to link


def entities_to_link(store: GraphStore, target: str | Target, type_iri: str | None = None) -> list[LinkEntity]:
    """Entities of a class the target has types for, without a link to the target in the current view.

    `type_iri` (an IRI or prefixed name such as ``ipc:City``) keeps those of
    that class or its subclasses.  Each comes with its labels in every
    language, its country and the country's own link on the target.
    """
    spec = get_target(target)
    keys = sorted(spec.types)
    if not keys:
        return []
    namespace = ox.Literal(spec.namespace)
    type_filter = ""
    if type_iri:
        type_node = _iri(expand(type_iri), "the entity type")
        type_filter = f"{values_block(['typeFilter'], [[type_node]])} ?entity a/<{RDFS}subClassOf>* ?typeFilter ."
    rows = store.query(f"""
        SELECT DISTINCT ?entity ?key WHERE {{
          {values_block(['key'], [[ox.NamedNode(k)] for k in keys])}
          {values_block(['namespace'], [[namespace]])}
          {type_filter}
          ?entity a ?type .
          ?type <{RDFS}subClassOf>* ?key .
          FILTER (isIRI(?entity))
          FILTER NOT EXISTS {{ ?entity <{EXACT_MATCH}> ?link FILTER (STRSTARTS(STR(?link), ?namespace)) }}
        }}""")
    matched: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        matched[row["entity"].value].add(row["key"].value)
    if not matched:
        return []
    below = {(row["a"].value, row["b"].value) for row in store.query(f"""
        SELECT ?a ?b WHERE {{
          {values_block(['a'], [[ox.NamedNode(k)] for k in keys])}
          {values_block(['b'], [[ox.NamedNode(k)] for k in keys])}
          ?a <{RDFS}subClassOf>* ?b . FILTER (?a != ?b)
        }}""")}
    entities = sorted(matched)
    labels: dict[str, list[Label]] = defaultdict(list)
    countries: dict[str, str] = {}
    country_labels: dict[str, list[Label]] = defaultdict(list)
    country_links: dict[str, str] = {}
    for chunk in _chunks(entities, 500):
        block = values_block(["entity"], [[ox.NamedNode(e)] for e in chunk])
        for row in store.query(f"""
            SELECT ?entity ?field ?label WHERE {{
              {block}
              {values_block(['field'], [[ox.NamedNode(RDFS_LABEL)], [ox.NamedNode(SKOS_ALT_LABEL)]])}
              ?entity ?field ?label . FILTER (isLiteral(?label))
            }}"""):
            labels[row["entity"].value].append(_label(row["label"], row["field"].value))
        for row in store.query(f"""
            SELECT ?entity ?country ?field ?label ?link WHERE {{
              {block}
              ?entity <{IPC}country> ?country .
              {{ {values_block(['field'], [[ox.NamedNode(RDFS_LABEL)], [ox.NamedNode(SKOS_ALT_LABEL)]])}
                 ?country ?field ?label . FILTER (isLiteral(?label)) }}
              UNION
              {{ {values_block(['namespace'], [[namespace]])}
                 ?country <{EXACT_MATCH}> ?link . FILTER (STRSTARTS(STR(?link), ?namespace)) }}
            }} ORDER BY ?entity ?country"""):
            entity, country = row["entity"].value, row["country"].value
            if countries.setdefault(entity, country) != country:
                continue  # more than one country: the shapes report it; use the first
            if row["label"] is not None:
                country_labels[country].append(_label(row["label"], row["field"].value))
            if row["link"] is not None:
                country_links.setdefault(country, row["link"].value)
    result = []
    for entity in entities:
        if not labels.get(entity):
            continue
        found = matched[entity]
        specific = tuple(sorted(k for k in found if not any((other, k) in below for other in found if other != k)))
        country = countries.get(entity)
        result.append(LinkEntity(
            iri=entity,
            label=_display_label(labels[entity]),
            labels=tuple(sorted(set(labels[entity]))),
            classes=specific,
            country=country,
            country_labels=tuple(sorted(set(country_labels.get(country, ())))) if country else (),
            country_link=country_links.get(country) if country else None,
        ))
    result.sort(key=lambda e: (e.label.casefold(), e.iri))
    return result


# ---------------------------------------------------------- candidates


def find_candidates(store: GraphStore, project: Project, *, target: str | Target = "wikidata",
                    endpoint: Endpoint | None = None, type_iri: str | None = None, limit_per_entity: int = 5,
                    progress: Progress | None = None, languages: Sequence[str] = ()) -> list[Candidate]:
    """Scored candidates on the target for every entity not linked to it yet, best first per entity.

    Candidates are items with a label or alternative label equal to one of
    the entity's labels, in the label's language, in another of the
    entity's languages, in the target's `search_languages` (English, and
    Wikidata's "mul") or in the extra `languages`.  Pairs a curator rejected before (the
    rejections file) or whose link claim was deprecated are left out.
    Without `endpoint`, the target's public endpoint is used.  Raises
    EndpointError if the endpoint fails; nothing is written either way.
    """
    spec = get_target(target)
    if limit_per_entity < 1:
        raise UsageError("limit_per_entity must be at least 1.")
    if endpoint is None:
        if not spec.endpoint:
            raise UsageError(f"{spec.title} has no public SPARQL endpoint: name one with --endpoint URL.")
        endpoint = Endpoint(spec.endpoint)
    entities = entities_to_link(store, spec, type_iri)
    skip = read_rejections(project) | _deprecated_links(store)

    found: dict[str, set[str]] = defaultdict(set)
    done = 0
    for batch in _chunks(entities, ENTITY_BATCH):
        for row in endpoint.query(_candidate_query(spec, batch, languages)):
            item = row["item"]
            if isinstance(item, ox.NamedNode) and item.value.startswith(spec.namespace):
                found[row["entity"].value].add(item.value)
        done += len(batch)
        if progress:
            progress(f"Searching {spec.title}", done, len(entities))

    items = sorted({i for matches in found.values() for i in matches})
    wanted = sorted({lang for e in entities for lang in (*e.languages, *(x.language for x in e.country_labels))}
                    | set(spec.search_languages) | set(languages) | ({""} if spec.plain_labels else set()))
    details: dict[str, _Item] = {i: _Item(i) for i in items}
    done = 0
    for batch in _chunks(items, ITEM_BATCH):
        _read_details(endpoint.query(_details_query(spec, batch, wanted)), details, spec)
        done += len(batch)
        if progress:
            progress(f"Reading {spec.title} candidates", done, len(items))

    candidates: list[Candidate] = []
    for entity in entities:
        scored = [score_candidate(entity, details[item], spec)
                  for item in sorted(found.get(entity.iri, ())) if (entity.iri, item) not in skip]
        scored.sort(key=_rank_key)
        candidates += scored[:limit_per_entity]
    return candidates


def _rank_key(c: Candidate):
    return (-c.score, -c.features["type"], -c.features["label"], c.match)


def _candidate_query(spec: Target, entities: Sequence[LinkEntity], extra: Sequence[str] = ()) -> str:
    rows: list[list[ox.NamedNode | ox.Literal]] = []
    for entity in entities:
        seen: set[tuple[str, str]] = set()
        languages = {*spec.search_languages, *extra, *entity.languages} - {""}
        for label in entity.labels:
            text = label.text.strip()
            for variant in {text, text[:1].upper() + text[1:]} - {""}:
                for language in {label.language, *languages} - {""}:
                    seen.add((variant, language))
                if spec.plain_labels:
                    seen.add((variant, ""))
        node = ox.NamedNode(entity.iri)
        rows += [[node, ox.Literal(text, language=language) if language else ox.Literal(text)]
                 for text, language in sorted(seen)]
    fields = [[ox.NamedNode(p)] for p in spec.label_properties]
    return f"""SELECT DISTINCT ?entity ?item WHERE {{
  {values_block(['entity', 'name'], rows)}
  {values_block(['field'], fields)}
  ?item ?field ?name .
  FILTER (STRSTARTS(STR(?item), {ox.Literal(spec.namespace)}))
}}"""


def _details_query(spec: Target, items: Sequence[str], languages: Sequence[str]) -> str:
    item_block = values_block(["item"], [[ox.NamedNode(i)] for i in items])
    lang_block = values_block(["lang"], [[ox.Literal(lang)] for lang in sorted({x.lower() for x in languages})])
    fields = values_block(["field"], [[ox.NamedNode(p)] for p in spec.label_properties])
    expected = ""
    if spec.subclass_property:
        expected = (f"OPTIONAL {{ {values_block(['expected'], [[ox.NamedNode(c)] for c in spec.all_classes])} "
                    f"?value <{spec.subclass_property}>* ?expected }}")
    description = ""
    if spec.description_property:
        description = (f"""UNION {{ ?item <{spec.description_property}> ?value .
          FILTER (LANG(?value) = "en") BIND ("description" AS ?kind) }}""")
    return f"""SELECT ?item ?kind ?field ?value ?valueLabel ?expected WHERE {{
  {item_block}
  {{ {fields} {lang_block}
     ?item ?field ?value . FILTER (LCASE(LANG(?value)) = ?lang) BIND ("label" AS ?kind) }}
  UNION
  {{ ?item <{spec.type_property}> ?value .
     OPTIONAL {{ ?value <{RDFS_LABEL}> ?valueLabel . FILTER (LANG(?valueLabel) = "en") }}
     {expected}
     BIND ("type" AS ?kind) }}
  UNION
  {{ ?item <{spec.country_property}> ?value .
     OPTIONAL {{ {fields} {lang_block}
                ?value ?field ?valueLabel . FILTER (LCASE(LANG(?valueLabel)) = ?lang) }}
     BIND ("country" AS ?kind) }}
  {description}
}}"""


def _read_details(rows, details: dict[str, _Item], spec: Target) -> None:
    for row in rows:
        item = details.get(row["item"].value)
        kind, value = row["kind"], row["value"]
        if item is None or kind is None or value is None:
            continue
        if kind.value == "label" and isinstance(value, ox.Literal):
            label = _label(value, row["field"].value)
            if label not in item.labels:
                item.labels.append(label)
        elif kind.value == "type" and isinstance(value, ox.NamedNode):
            class_label = row["valueLabel"]
            if item.classes.get(value.value) is None:
                item.classes[value.value] = class_label.value if class_label is not None else None
            reached = item.reached.setdefault(value.value, set())
            if row["expected"] is not None:
                reached.add(row["expected"].value)
        elif kind.value == "country" and isinstance(value, ox.NamedNode):
            labels = item.countries.setdefault(value.value, [])
            if row["valueLabel"] is not None and row["field"] is not None:
                label = _label(row["valueLabel"], row["field"].value)
                if label not in labels:
                    labels.append(label)
        elif kind.value == "description" and isinstance(value, ox.Literal) and item.description is None:
            item.description = value.value


# ---------------------------------------------------------------- scoring


def _same_language(a: str, b: str) -> bool:
    """Equal tags, or one is Wikidata's "mul" (a label valid in every language)."""
    return a == b or "mul" in (a, b)


def _normal(text: str) -> str:
    """Casefolded, accents stripped, punctuation and runs of spaces made one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def score_candidate(entity: LinkEntity, item: _Item, target: str | Target) -> Candidate:
    """Score one candidate item for one entity (see the module docstring for the features)."""
    spec = get_target(target)
    features: dict[str, float] = {}
    why: list[str] = []

    # label
    best, pair = 0.0, None
    for ours in entity.labels:
        for theirs in item.labels:
            a, b = _normal(ours.text), _normal(theirs.text)
            similarity = 1.0 if a == b else difflib.SequenceMatcher(None, a, b).ratio()
            if not _same_language(ours.language, theirs.language):
                similarity *= CROSS_LANGUAGE
            if similarity > best or pair is None:
                best, pair = similarity, (ours, theirs)
    features["label"] = round(best, 3)
    if pair is None:
        why.append("Label: the candidate has no label in our languages.")
    elif best == 1.0:
        why.append(f"Label: {pair[1].show()} equals our {pair[0].show()} ({_short(pair[0].field)}).")
    elif _normal(pair[0].text) == _normal(pair[1].text):
        why.append(f"Label: {pair[1].show()} equals our {pair[0].show()} but in another language.")
    else:
        why.append(f"Label: {pair[1].show()} is the closest to our {pair[0].show()} "
                   f"(similarity {best:.2f}"
                   f"{'' if _same_language(pair[0].language, pair[1].language) else ', other language'}).")

    # type
    expected = spec.classes_for(entity.classes)
    ours_shown = ", ".join(_short(c) for c in entity.classes) or "its class"
    direct = sorted(c for c in item.classes if c in expected)
    matching = direct or sorted(c for c in item.classes if item.reached.get(c, set()) & set(expected))
    if matching:
        features["type"] = 1.0
        cls = matching[0]
        via = sorted(item.reached.get(cls, set()) & set(expected))
        how = "" if direct else f", a kind of {', '.join(_short(c) for c in via)}"
        why.append(f"Type: instance of {_class_name(cls, item)}{how}, as expected for {ours_shown}.")
        match_class = cls
    else:
        features["type"] = 0.0
        shown = ", ".join(_class_name(c, item) for c in sorted(item.classes)) or "nothing"
        why.append(f"Type: instance of {shown}, none of the kinds expected for {ours_shown} "
                   f"({', '.join(_short(c) for c in expected)}).")
        match_class = min(item.classes) if item.classes else None

    # country
    ours_country = _short(entity.country) if entity.country else None
    if entity.country is None:
        features["country"] = 0.5
        why.append("Country: we know none for this entity.")
    elif not item.countries:
        features["country"] = 0.5
        why.append(f"Country: the candidate states none (ours: {ours_country}).")
    elif entity.country_link:
        same = entity.country_link in item.countries
        features["country"] = 1.0 if same else 0.0
        theirs = ", ".join(_country_name(c, item) for c in sorted(item.countries))
        why.append(f"Country: {theirs}, {'the' if same else 'not the'} link of {ours_country} "
                   f"({_short(entity.country_link)}).")
    else:
        names = {_normal(label.text) for label in entity.country_labels}
        same = any(_normal(label.text) in names for labels in item.countries.values() for label in labels)
        features["country"] = 1.0 if same else 0.0
        theirs = ", ".join(_country_name(c, item) for c in sorted(item.countries))
        why.append(f"Country: {theirs}, {'named' if same else 'not named'} like {ours_country} "
                   f"(which has no {spec.title} link yet).")

    # language coverage
    languages = entity.languages
    covered = [lang for lang in languages
               if any(_normal(o.text) == _normal(t.text) for o in entity.labels if o.language == lang
                      for t in item.labels if _same_language(t.language, lang))]
    features["language"] = round(len(covered) / len(languages), 3) if languages else 0.0
    why.append(f"Languages: equal labels in {len(covered)} of our {len(languages)} "
               f"({', '.join(lang or 'no tag' for lang in languages)}).")

    total = round(sum(WEIGHTS[k] * features[k] for k in WEIGHTS), 3)
    match_label = _display_label(item.labels) if item.labels else _short(item.iri)
    head = f"{spec.title} {_short(item.iri)} “{match_label}”"
    if item.description:
        head += f" ({item.description})"
    return Candidate(
        entity=entity.iri,
        entity_label=entity.label,
        target=spec.name,
        match=item.iri,
        match_label=match_label,
        score=total,
        features=features,
        justification=f"{head}. " + " ".join(why),
        entity_class=entity.classes[0] if entity.classes else None,
        match_class=match_class,
        match_string=pair[1].text if pair and best == 1.0 else None,
        subject_match_field=pair[0].field if pair else None,
        object_match_field=pair[1].field if pair else None,
    )


def _class_name(cls: str, item: _Item) -> str:
    label = item.classes.get(cls)
    return f"{label} ({_short(cls)})" if label else _short(cls)


def _country_name(country: str, item: _Item) -> str:
    labels = item.countries.get(country) or []
    return f"{_display_label(labels)} ({_short(country)})" if labels else _short(country)


# ------------------------------------------------------------ SSSOM files

REVIEW_COLUMNS = (
    "subject_id", "subject_label", "subject_category", "predicate_id", "predicate_modifier", "object_id",
    "object_label", "object_category", "mapping_justification", "subject_match_field", "object_match_field",
    "match_string", "confidence", "other", "comment",
)
REJECTION_COLUMNS = (*REVIEW_COLUMNS[:-2], "mapping_date", *REVIEW_COLUMNS[-2:])
_ID_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "subject_category",
               "object_category", "subject_match_field", "object_match_field")
_SSSOM_PREFIXES = {"semapv": SEMAPV, "dbr": PREFIXES["dbr"], "gn": PREFIXES["gn"], "gno": GN, "dbo": DBO,
                   "wdt": WDT}
REVIEW_HELP = (
    "Review: to accept a candidate set mapping_justification to semapv:MappingReview; to reject it set "
    "predicate_modifier to Not (it will not be proposed again). Rows left as semapv:LexicalMatching, or "
    "deleted, are undecided: 'ipckg link apply FILE' ignores them unless --accept-above SCORE is given, "
    "which accepts an undecided row whose confidence is at least SCORE when it is the only such row of "
    "its subject. confidence = 0.5 type + 0.3 label + 0.15 country + 0.05 language (see 'other').")


def write_review(candidates: Iterable[Candidate], path: Path, *, endpoint_url: str | None = None,
                 date: dt.date | None = None) -> None:
    """Write candidates as an SSSOM/TSV review file (atomically; see the module docstring for the convention)."""
    candidates = list(candidates)
    date = date or dt.date.today()
    targets = sorted({c.target for c in candidates})
    rows = []
    for c in candidates:
        rows.append({
            "subject_id": c.entity,
            "subject_label": c.entity_label,
            "subject_category": c.entity_class or "",
            "predicate_id": EXACT_MATCH,
            "predicate_modifier": "",
            "object_id": c.match,
            "object_label": c.match_label,
            "object_category": c.match_class or "",
            "mapping_justification": LEXICAL_MATCHING,
            "subject_match_field": c.subject_match_field or "",
            "object_match_field": c.object_match_field or "",
            "match_string": c.match_string or "",
            "confidence": f"{c.score:.3f}",
            "other": "|".join(f"{k}={c.features[k]:.3f}" for k in WEIGHTS if k in c.features),
            "comment": c.justification,
        })
    name = "-".join(targets) or "links"
    metadata = {
        "mapping_set_id": f"{BASE}mappings/{name}-review-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}",
        "mapping_set_title": f"ipckg link candidates ({', '.join(get_target(t).title for t in targets) or 'none'})",
        "mapping_set_description": REVIEW_HELP,
        "license": LICENSE,
        "subject_source": BASE,
    }
    if len(targets) == 1:
        metadata["object_source"] = get_target(targets[0]).source
    if endpoint_url:
        metadata["mapping_provider"] = endpoint_url
    metadata.update({"mapping_tool": "ipckg link", "mapping_tool_version": __version__,
                     "mapping_date": date.isoformat()})
    replace_file(path, _sssom(metadata, REVIEW_COLUMNS, rows))


def read_review(path: Path) -> tuple[dict, list[ReviewRow]]:
    """The metadata and rows of an SSSOM/TSV file, identifiers expanded and checked."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text, so it cannot be an SSSOM/TSV file.") from None
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}.") from None
    lines = text.splitlines()
    header_lines = []
    while len(header_lines) < len(lines) and lines[len(header_lines)].startswith("#"):
        header_lines.append(lines[len(header_lines)][1:])
    metadata = _parse_metadata("\n".join(header_lines), path)
    curie_map = {**PREFIXES, **_SSSOM_PREFIXES, **(metadata.get("curie_map") or {})}
    first = len(header_lines)
    body = lines[first:]
    if not body or not body[0].strip():
        raise InputError(f"{path}, line {first + 1}: the column header (subject_id, predicate_id, ...) is missing.")
    reader = csv.reader(body, delimiter="\t", quoting=csv.QUOTE_NONE)
    columns = next(reader)
    missing = [c for c in ("subject_id", "predicate_id", "object_id", "mapping_justification") if c not in columns]
    if missing:
        raise InputError(f"{path}, line {first + 1}: required SSSOM column(s) {', '.join(missing)} missing.")
    rows = []
    for number, cells in enumerate(reader, start=first + 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            raise InputError(f"{path}, line {number}: {len(cells)} cells for {len(columns)} columns; "
                             "a label or comment holds a tab?")
        values = dict(zip(columns, [c.strip() for c in cells] + [""] * (len(columns) - len(cells))))
        where = f"{path}, line {number}"
        modifier = values.get("predicate_modifier", "")
        if modifier not in ("", "Not"):
            raise InputError(f"{where}: predicate_modifier must be empty or Not, not {modifier!r}.")
        predicate = _expand_id(values["predicate_id"], curie_map, where, "predicate_id")
        if predicate != EXACT_MATCH:
            raise InputError(f"{where}: only skos:exactMatch links can be applied, not {values['predicate_id']}.")
        confidence = None
        if values.get("confidence"):
            try:
                confidence = float(values["confidence"])
            except ValueError:
                raise InputError(f"{where}: confidence {values['confidence']!r} is not a number.") from None
            if not 0.0 <= confidence <= 1.0:
                raise InputError(f"{where}: confidence {confidence} is outside 0-1.")
        rows.append(ReviewRow(
            line=number,
            subject=_expand_id(values["subject_id"], curie_map, where, "subject_id"),
            subject_label=values.get("subject_label", ""),
            predicate=predicate,
            modifier=modifier,
            object=_expand_id(values["object_id"], curie_map, where, "object_id"),
            object_label=values.get("object_label", ""),
            justification=_expand_id(values["mapping_justification"], curie_map, where, "mapping_justification"),
            confidence=confidence,
            comment=values.get("comment", ""),
            values=values,
        ))
    return metadata, rows


def read_rejections(project: Project) -> set[tuple[str, str]]:
    """(entity, item) pairs curators rejected, from data/links/rejected.sssom.tsv."""
    path = project.data_dir / REJECTIONS_FILE
    if not path.exists():
        return set()
    _, rows = read_review(path)
    return {(row.subject, row.object) for row in rows if row.rejected}


def _sssom(metadata: Mapping, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> bytes:
    rows = list(rows)
    curie_map = {**PREFIXES, **_SSSOM_PREFIXES}
    used = {"skos", "semapv"}
    for row in rows:
        for column in _ID_COLUMNS:
            for value in row.get(column, "").split("|"):
                prefix = _prefix_for(value) or value.partition(":")[0]
                if prefix in curie_map:
                    used.add(prefix)
    out = io.StringIO()
    out.write("#curie_map:\n")
    for prefix in sorted(used):
        out.write(f"#  {prefix}: {json.dumps(curie_map[prefix])}\n")
    for key, value in metadata.items():
        out.write(f"#{key}: {json.dumps(value, ensure_ascii=False)}\n")
    writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if column in _ID_COLUMNS:
                value = "|".join(_curie(v) for v in value.split("|"))
            cells.append(_cell(value))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    return " ".join(str(value).replace("\t", " ").split())


_ALL_PREFIXES = {**PREFIXES, **_SSSOM_PREFIXES}


def _prefix_for(iri: str) -> str | None:
    """The known prefix with the longest namespace that starts the IRI."""
    best = None
    for prefix, namespace in _ALL_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and (
                best is None or len(namespace) > len(_ALL_PREFIXES[best])):
            best = prefix
    return best


def _curie(iri: str) -> str:
    """A CURIE for SSSOM where a known prefix covers the IRI and the rest is safe in a TSV cell."""
    prefix = _prefix_for(iri)
    if prefix is None:
        return iri
    local = iri[len(_ALL_PREFIXES[prefix]):]
    return f"{prefix}:{local}" if re.fullmatch(r"[^\s|<>\"'{}\\^`]+", local) else iri


def _expand_id(value: str, curie_map: Mapping[str, str], where: str, column: str) -> str:
    value = written = value.strip()
    if not value:
        raise InputError(f"{where}: {column} is empty.")
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and not local.startswith("//") and prefix not in ("urn", "mailto"):
        if prefix not in curie_map:
            raise InputError(f"{where}: {column} {value!r} uses the prefix {prefix!r}, which the file's curie_map "
                             "does not declare.")
        value = curie_map[prefix] + local
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        raise InputError(f"{where}: {column} {written!r} is neither an IRI nor a prefixed name.")
    try:
        ox.NamedNode(value)
    except ValueError as error:
        raise InputError(f"{where}: {column} {written!r} is not a valid IRI ({error}).") from None
    return value


def _parse_metadata(text: str, path: Path) -> dict:
    """The YAML block of an SSSOM/TSV file, read by a real YAML parser: curators edit it by hand."""
    import yaml  # only where a review file is read

    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        raise InputError(f"{where}: the metadata block is not valid YAML "
                         f"({getattr(error, 'problem', None) or error}).") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: the metadata block must be a YAML mapping (key: value lines after '#').")
    return data


# ------------------------------------------------------------------ apply


def apply_review(project: Project, path: Path, *, accept_above: float | None = None,
                 date: dt.date | None = None, progress: Progress | None = None) -> ApplyResult:
    """Add the accepted rows of a review file as link claims; remember the rejected rows.

    Accepted rows become ``skos:exactMatch`` claims attributed to
    organisation:ipckg, derived from a new source document describing the
    review, quoting the row's justification, located by file and line.
    They are validated in the context of the graph; if anything violates
    the shapes, nothing at all is written and the report says why (lines
    point into the review file).  Otherwise the claims go to
    ``data/added/`` and the new rejections to
    ``data/links/rejected.sssom.tsv``, both files or neither.
    """
    if accept_above is not None and not 0.0 <= accept_above <= 1.0:
        raise UsageError(f"--accept-above must be between 0 and 1, not {accept_above}.")
    metadata, rows = read_review(path)
    with writer_lock(project.data_dir):  # judged against the links as the previous writer left them
        return _apply(project, path, metadata, rows, accept_above, open_store(project, progress),
                      date or dt.date.today())


def _apply(project: Project, path: Path, metadata: Mapping, rows: list[ReviewRow], accept_above: float | None,
           store: GraphStore, date: dt.date) -> ApplyResult:
    result = ApplyResult(Report())
    remembered = read_rejections(project)
    linked = _existing_links(store, {row.subject for row in rows})

    curated_subjects = {row.subject for row in rows if row.curated}
    above: dict[str, list[ReviewRow]] = defaultdict(list)
    accepted: list[tuple[ReviewRow, str]] = []
    for row in rows:
        if row.rejected:
            if (row.subject, row.object) in remembered or any(
                    (r.subject, r.object) == (row.subject, row.object) for r in result.rejected):
                result.skipped.append(row)
            else:
                result.rejected.append(row)
        elif row.curated:
            accepted.append((row, "accepted by a curator"))
        elif (accept_above is not None and row.confidence is not None and row.confidence >= accept_above
              and row.subject not in curated_subjects):
            above[row.subject].append(row)
        else:
            result.undecided.append(row)
    for subject_rows in above.values():
        if len(subject_rows) == 1:
            row = subject_rows[0]
            accepted.append((row, f"accepted automatically: confidence {row.confidence:.3f} ≥ {accept_above:g}"))
        else:
            result.ambiguous += subject_rows
    accepted.sort(key=lambda pair: pair[0].line)
    fresh = []
    for row, how in accepted:
        if (row.subject, row.object) in linked:
            result.skipped.append(row)
        else:
            fresh.append((row, how))

    contents: dict[Path, bytes] = {}
    if fresh:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        name = f"links-{_slug(path.name.split('.')[0])}-{digest}.ttl"
        turtle, blocks = _link_claims(store, fresh, path, metadata, digest, date)
        result.turtle = turtle
        with tempfile.TemporaryDirectory(prefix="ipckg-link-") as folder:
            generated = Path(folder) / name
            generated.write_text(turtle, encoding="utf-8")
            added = review_files(store, project, [generated])
            result.report = _point_into_review(added.report, generated, blocks, path)
        if result.report.fails():
            return result
        contents[project.data_dir / ADDED_DIR / name] = turtle.encode("utf-8")
    if result.rejected:
        contents[project.data_dir / REJECTIONS_FILE] = _rejections_file(project, result.rejected, date)
    result.accepted = [row for row, _ in fresh]
    if contents:
        result.written = commit(project.data_dir, contents)
    return result


def _link_claims(store: GraphStore, rows: Sequence[tuple[ReviewRow, str]], path: Path, metadata: Mapping,
                 digest: str, date: dt.date) -> tuple[str, list[tuple[int, int, ReviewRow]]]:
    """Turtle for the link claims and their source document; (first line, last line, row) per claim."""
    used: set[str] = set()

    def t(term: str | ox.Literal) -> str:
        """A term in Turtle: a prefixed name where that is safe, else N-Triples syntax."""
        if isinstance(term, ox.Literal):
            return str(term)
        prefix = _prefix_for(term)
        if prefix is not None:
            local = term[len(_ALL_PREFIXES[prefix]):]
            if re.fullmatch(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?", local):
                used.add(prefix)
                return f"{prefix}:{local}"
        return str(ox.NamedNode(term))

    source = f"{PREFIXES['source']}link-review-{digest}"
    provider = metadata.get("mapping_provider")
    mapping_date = metadata.get("mapping_date")
    about = (f"Candidates found by ipckg link{f' on {provider}' if provider else ''}"
             f"{f' on {mapping_date}' if mapping_date else ''}, reviewed in {path.name} "
             f"(SHA-256 prefix {digest}) and applied on {date.isoformat()}.")
    dcterms = "http://purl.org/dc/terms/"
    prov = "http://www.w3.org/ns/prov#"
    body = [
        f"{t(source)} a {t(IPC + 'SourceDocument')} ;",
        f"    {t(RDFS_LABEL)} {ox.Literal(f'Link review {path.name} ({date.isoformat()})', language='en')} ;",
        f"    {t(dcterms + 'creator')} {t(CLAIMANT)} ;",
        f"    {t(dcterms + 'issued')} {ox.Literal(date.isoformat(), datatype=ox.NamedNode(XSD + 'date'))} ;",
        f"    {t(dcterms + 'language')} {ox.Literal('en')} ;",
        f"    {t(RDFS + 'comment')} {ox.Literal(about, language='en')} .",
        "",
    ]
    spans = []
    taken: set[str] = set()
    for row, how in rows:
        claim = _claim_iri(store, row, taken)
        quote = row.comment or f"{row.subject_label or row.subject} is {row.object_label or row.object}."
        first = len(body)
        body += [
            f"{t(claim)} a {t(IPC + 'Claim')} ;",
            f"    {t(RDF + 'subject')} {t(row.subject)} ;",
            f"    {t(RDF + 'predicate')} {t(EXACT_MATCH)} ;",
            f"    {t(RDF + 'object')} {t(row.object)} ;",
            f"    {t(prov + 'wasAttributedTo')} {t(CLAIMANT)} ;",
            f"    {t(prov + 'wasDerivedFrom')} {t(source)} ;",
            f"    {t(IPC + 'quote')} {ox.Literal(quote)} ;",
            f"    {t(IPC + 'locator')} {ox.Literal(f'{path.name}, line {row.line} ({how})')} ;",
            f"    {t(IPC + 'rank')} {t(IPC + 'NormalRank')} .",
            "",
        ]
        spans.append((first, len(body) - 1, row))
    head = [f"@prefix {p}: {ox.NamedNode(_ALL_PREFIXES[p])} ." for p in sorted(used)]
    head += ["", "# Links to external identifiers, applied by 'ipckg link apply' from a reviewed SSSOM file.", ""]
    offset = len(head) + 1  # line numbers start at 1
    blocks = [(first + offset, last + offset - 1, row) for first, last, row in spans]
    return "\n".join(head + body), blocks


def _claim_iri(store: GraphStore, row: ReviewRow, taken: set[str]) -> str:
    base = f"{PREFIXES['claim']}link-{_slug(_curie(row.subject))}-{_slug(_curie(row.object))}"
    claim, n = base, 1
    while claim in taken or bool(store.query(f"ASK {{ {ox.NamedNode(claim)} ?p ?o }}")):
        n += 1
        claim = f"{base}-{n}"
    taken.add(claim)
    return claim


def _point_into_review(report: Report, generated: Path, blocks, review: Path) -> Report:
    """Make results name the review file and the line of the row they come from.

    Results about a claim carry the generated file's line; results about an
    entity's derived link carry no line and are matched by subject and link.
    """
    results = []
    for r in report.results:
        row = None
        if r.file == str(generated) and r.line is not None:
            row = next((row for first, last, row in blocks if first <= r.line <= last), None)
        elif r.file in (None, str(generated)):
            rows = [row for _, _, row in blocks if row.subject == r.focus]
            row = next((x for x in rows if x.object == r.value), rows[0] if rows else None)
        if row is not None:
            r = replace(r, file=str(review), line=row.line)
        elif r.file == str(generated):
            r = replace(r, file=str(review), line=None)
        results.append(r)
    return Report(sorted(set(results), key=ValidationResult.sort_key), report.results_graph)


def _rejections_file(project: Project, rows: Sequence[ReviewRow], date: dt.date) -> bytes:
    path = project.data_dir / REJECTIONS_FILE
    kept: list[dict[str, str]] = []
    if path.exists():
        _, old = read_review(path)
        kept = [{**row.values, "subject_id": row.subject, "object_id": row.object, "predicate_id": row.predicate,
                 "mapping_justification": row.justification} for row in old]
    for row in rows:
        kept.append({**row.values, "subject_id": row.subject, "object_id": row.object, "predicate_id": row.predicate,
                     "predicate_modifier": "Not", "mapping_justification": MAPPING_REVIEW,
                     "mapping_date": date.isoformat()})
    metadata = {
        "mapping_set_id": f"{BASE}mappings/rejected",
        "mapping_set_title": "Link candidates rejected by ipckg curators",
        "mapping_set_description": "Negated mappings (predicate_modifier Not): 'ipckg link' never proposes these "
                                   "pairs again. Written by 'ipckg link apply'.",
        "license": LICENSE,
        "subject_source": BASE,
        "mapping_tool": "ipckg link",
    }
    extra = list(dict.fromkeys(c for row in kept for c in row if c not in REJECTION_COLUMNS))
    return _sssom(metadata, (*REJECTION_COLUMNS, *extra), kept)


# ---------------------------------------------------------------- helpers


def _existing_links(store: GraphStore, subjects: Iterable[str]) -> set[tuple[str, str]]:
    """(subject, link) pairs the graph already has as a claim of any rank or in the current view."""
    subjects = sorted(subjects)
    found: set[tuple[str, str]] = set()
    for chunk in _chunks(subjects, 500):
        valid = [[ox.NamedNode(s)] for s in chunk]
        for row in store.query(f"""
            SELECT ?s ?o WHERE {{
              {values_block(['s'], valid)}
              {{ ?s <{EXACT_MATCH}> ?o }}
              UNION
              {{ ?claim <{RDF}subject> ?s ; <{RDF}predicate> <{EXACT_MATCH}> ; <{RDF}object> ?o }}
            }}"""):
            found.add((row["s"].value, row["o"].value))
    return found


def _deprecated_links(store: GraphStore) -> set[tuple[str, str]]:
    return {(row["s"].value, row["o"].value) for row in store.query(f"""
        SELECT ?s ?o WHERE {{
          ?claim <{RDF}subject> ?s ; <{RDF}predicate> <{EXACT_MATCH}> ; <{RDF}object> ?o ;
                 <{IPC}rank> <{IPC}DeprecatedRank> .
          FILTER (isIRI(?o))
        }}""")}


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _label(term: ox.Literal, field_iri: str) -> Label:
    return Label(term.value, term.language or "", field_iri)


def _display_label(labels: Iterable[Label]) -> str:
    labels = list(labels)

    def key(label: Label):
        return (label.field not in (RDFS_LABEL, GN + "name"), label.language != "en", label.language, label.text)

    return min(labels, key=key).text if labels else ""


def _short(iri: str) -> str:
    return _curie(iri)


def _iri(value: str, what: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise UsageError(f"{value!r} is not an IRI or known prefixed name for {what}.") from None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"
