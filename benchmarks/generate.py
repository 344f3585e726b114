#!/usr/bin/env python3
"""Write a realistic ipckg project of a chosen size, for benchmarks (issue 6).

    python benchmarks/generate.py --triples 100000 --out benchmarks/generated/100k \
        [--violations N] [--seed S]

The output folder is a complete project: ontology/, shapes/ and queries/ are
copied from this repository, data/ holds the bundled data plus generated files

    data/generated-entities.ttl      countries, cities, organisations, people, projects
                                     (type, label, and for places/organisations ipc:country,
                                     the way data/entities.ttl describes entities)
    data/generated-sources.ttl       ipc:SourceDocument with publisher, date, language, URL
    data/generated-claims-NNN.ttl    every fact as an ipc:Claim with rdf:subject/predicate/
                                     object, prov:wasAttributedTo, prov:wasDerivedFrom,
                                     ipc:quote, ipc:locator, ipc:rank

and, beside data/ (so it is *not* loaded), `change-100.ttl`: a new project with
claims about existing generated entities, about 100 triples, for `ipckg add`.

Projects have a host country, a sector (the 12 focus sectors of 2015), a city,
construction and operation dates (xsd:date), an investment (a
qudt:QuantityValue in unit:CCY_USD), partners, a builder and an investor.
About 5 % of projects have a conflict: a second source gives another
construction start; the curator prefers one (ipc:PreferredRank with an
ipc:rankReason) and the other stays ipc:NormalRank, so the current view keeps
one date.

The graph conforms to shapes/ipckg-shapes.ttl and passes queries/checks/.
`--violations N` seeds exactly N SHACL violations, one validation result
each, cycling through four core-SHACL kinds (no SHACL-SPARQL needed to find
them, so every validator can report them):

    1. a claim without prov:wasDerivedFrom      (ClaimShape, sh:minCount)
    2. a claim without ipc:quote                (ClaimShape, sh:minCount)
    3. a claim without ipc:locator              (ClaimShape, sh:minCount)
    4. a project without any host-country claim (ProjectShape, sh:minCount)

`ipckg check` then reports "Does not conform: N violations on N node(s)" and
exits 1; the seeded nodes are listed in `seeded-violations.json`.

The output is a function of (--triples, --violations, --seed) only.
`--triples` counts the triples of the files under ontology/ and data/ (the
bundled ones included); the store holds about 8 % more after the current
view is derived.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PREFIXES = """\
@prefix ipc:     <https://w3id.org/ipckg/ontology#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix qudt:    <http://qudt.org/schema/qudt/> .
@prefix unit:    <http://qudt.org/vocab/unit/> .
@prefix country: <https://w3id.org/ipckg/country/> .
@prefix place:   <https://w3id.org/ipckg/place/> .
@prefix organisation: <https://w3id.org/ipckg/organisation/> .
@prefix person:  <https://w3id.org/ipckg/person/> .
@prefix project: <https://w3id.org/ipckg/project/> .
@prefix sector:  <https://w3id.org/ipckg/sector/> .
@prefix source:  <https://w3id.org/ipckg/source/> .
@prefix claim:   <https://w3id.org/ipckg/claim/> .

"""

# Countries not in data/entities.ttl (those keep their codes there).
COUNTRIES = [
    ("Kazakhstan", "KZ", "KAZ"), ("Uzbekistan", "UZ", "UZB"), ("Vietnam", "VN", "VNM"),
    ("Cambodia", "KH", "KHM"), ("Myanmar", "MM", "MMR"), ("Philippines", "PH", "PHL"),
    ("Bangladesh", "BD", "BGD"), ("Sri Lanka", "LK", "LKA"), ("Nepal", "NP", "NPL"),
    ("Mongolia", "MN", "MNG"), ("Egypt", "EG", "EGY"), ("Kenya", "KE", "KEN"),
    ("Tanzania", "TZ", "TZA"), ("Nigeria", "NG", "NGA"), ("Angola", "AO", "AGO"),
    ("Zambia", "ZM", "ZMB"), ("Algeria", "DZ", "DZA"), ("Morocco", "MA", "MAR"),
    ("South Africa", "ZA", "ZAF"), ("Djibouti", "DJ", "DJI"), ("Argentina", "AR", "ARG"),
    ("Chile", "CL", "CHL"), ("Peru", "PE", "PER"), ("Ecuador", "EC", "ECU"),
    ("Venezuela", "VE", "VEN"), ("Mexico", "MX", "MEX"), ("Turkey", "TR", "TUR"),
    ("Saudi Arabia", "SA", "SAU"), ("United Arab Emirates", "AE", "ARE"), ("Greece", "GR", "GRC"),
    ("Poland", "PL", "POL"), ("Belarus", "BY", "BLR"), ("Russia", "RU", "RUS"),
    ("Georgia", "GE", "GEO"), ("Kyrgyzstan", "KG", "KGZ"), ("Tajikistan", "TJ", "TJK"),
    ("Sudan", "SD", "SDN"), ("Ghana", "GH", "GHA"), ("Uganda", "UG", "UGA"), ("Bolivia", "BO", "BOL"),
]
BUNDLED_COUNTRIES = ["malaysia", "iran", "brazil", "laos", "thailand", "serbia", "hungary", "indonesia",
                     "pakistan", "ethiopia"]
SECTORS = {  # the 12 focus sectors of data/sectors.ttl: slug -> words for labels
    "steel": "steel plant", "non-ferrous-metals": "aluminium smelter", "building-materials": "cement plant",
    "railways": "railway", "electric-power": "power station", "chemicals": "chemical complex",
    "light-industry-and-textiles": "textile mill", "automobiles": "automobile plant",
    "telecommunications": "telecom network", "construction-machinery": "machinery plant",
    "aerospace": "satellite station", "shipbuilding-and-ocean-engineering": "shipyard",
}
PROJECT_CLASS = {"railways": "ipc:RailwayProject", "electric-power": "ipc:PowerPlantProject",
                 "automobiles": "ipc:ManufacturingPlantProject", "steel": "ipc:ManufacturingPlantProject"}
CITY_SYLLABLES = ["ka", "lo", "ma", "ri", "tan", "bu", "sen", "do", "mi", "ra", "ko", "na", "te", "shi",
                  "an", "por", "vel", "zi", "gar", "hu", "el", "bor", "qui", "lan"]
GIVEN = ["Wei", "Li", "Min", "Jun", "Ahmed", "Maria", "Nadia", "Omar", "Sergei", "Amina", "Ravi", "Chen",
         "Hui", "Tomas", "Elena", "Kwame", "Aung", "Siti", "Pedro", "Yuki"]
FAMILY = ["Zhang", "Wang", "Liu", "Khan", "Silva", "Ivanov", "Okafor", "Nguyen", "Rahman", "Haddad",
          "Moreno", "Petrovic", "Tan", "Mensah", "Santos", "Kaya", "Park", "Sato", "Musa", "Lopez"]
COMPANY_WORDS = ["Heavy Industry", "Engineering", "Construction", "Holdings", "Energy", "Metals",
                 "Infrastructure", "Manufacturing", "Logistics", "Development"]
JOB_TITLES = ["chief executive", "project director", "chief engineer", "minister", "ambassador",
              "general manager", "chairman", "spokesperson"]
MEDIA_WORDS = ["Daily", "Business Review", "Economic Times", "Herald", "Observer", "News Agency"]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    def __init__(self, target: int, violations: int, seed: int):
        self.rng = random.Random(seed)
        self.target = target
        self.violations = violations
        self.seeded: list[dict] = []

    # -------------------------------------------------------------- sizing
    def sizes(self, bundled: int) -> dict[str, int]:
        budget = max(self.target - bundled, 2000)
        # One project costs about 104 triples of claims and entities, and brings
        # 0.3 organisations (9), 0.2 people (22), 0.1 cities (4), 0.4 sources (6).
        projects = max(int(budget / 109), 10)
        return {"projects": projects, "organisations": max(projects * 3 // 10, 8),
                "people": max(projects // 5, 5), "cities": max(projects // 10, 10),
                "sources": max(projects * 2 // 5, 5), "countries": len(COUNTRIES)}

    # ------------------------------------------------------------- writing
    def write(self, out: Path) -> dict:
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for folder in ("ontology", "shapes", "queries", "data"):
            shutil.copytree(REPO / folder, out / folder, ignore=shutil.ignore_patterns("added", "generated-*"))
        bundled = count_triples(sorted((out / "ontology").glob("*.ttl")) + sorted((out / "data").rglob("*.ttl")))
        n = self.sizes(bundled)
        rng = self.rng

        entities = [PREFIXES, "# Generated by benchmarks/generate.py: entities.\n\n"]
        countries = [f"country:{c}" for c in BUNDLED_COUNTRIES]
        for name, a2, a3 in COUNTRIES:
            entities.append(f'country:{slug(name)} a ipc:Country ; rdfs:label {lit(name)}@en ; '
                            f'ipc:isoAlpha2 "{a2}" ; ipc:isoAlpha3 "{a3}" .\n')
            countries.append(f"country:{slug(name)}")
        cities = []
        for i in range(n["cities"]):
            name = "".join(rng.choice(CITY_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            iri = f"place:g{i}-{slug(name)}"
            country = rng.choice(countries)
            cities.append((iri, name, country))
            entities.append(f'{iri} a ipc:City ; rdfs:label {lit(name)}@en ; ipc:country {country} .\n')
        organisations, media = [], []
        for i in range(n["organisations"]):
            is_media = i % 10 == 0
            if is_media:
                name = f"{rng.choice(cities)[1]} {rng.choice(MEDIA_WORDS)}"
                kind = "ipc:MediaOrganisation"
            else:
                name = f"{rng.choice(FAMILY)} {rng.choice(COMPANY_WORDS)} {i}"
                kind = "ipc:GovernmentBody" if i % 10 == 5 else "ipc:Company"
            iri = f"organisation:g{i}-{slug(name)}"
            country = "country:china" if i % 2 else rng.choice(countries)
            (media if is_media else organisations).append(iri)
            entities.append(f'{iri} a {kind} ; rdfs:label {lit(name)}@en ; ipc:country {country} .\n')
        people = []
        for i in range(n["people"]):
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            iri = f"person:g{i}-{slug(name)}"
            people.append((iri, name))
            entities.append(f'{iri} a foaf:Person ; rdfs:label {lit(name)}@en ; foaf:name {lit(name)} .\n')

        sources_ttl = [PREFIXES, "# Generated by benchmarks/generate.py: source documents.\n\n"]
        sources = []
        self.issued: dict[str, date] = {}  # a source reports only events up to its own date
        for i in range(n["sources"]):
            publisher = media[i % len(media)]
            year = rng.randint(2013, 2023)
            issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
            iri = f"source:g{i}"
            sources.append((iri, publisher))
            self.issued[iri] = issued
            sources_ttl.append(
                f'{iri} a ipc:SourceDocument ;\n    rdfs:label "Report {i} on production-capacity projects ({issued})"@en ;\n'
                f'    dcterms:publisher {publisher} ;\n    dcterms:issued "{issued}"^^xsd:date ;\n'
                f'    dcterms:language "en" ;\n'
                f'    schema:url "https://news.example.org/{year}/report-{i}.html"^^xsd:anyURI .\n\n')

        claims: list[str] = []
        self.cited: dict[str, int] = {}
        self.claim_no = 0

        def claim(subject, predicate, obj, source, quote, extra="", rank="ipc:NormalRank"):
            self.claim_no += 1
            src, publisher = source
            self.cited[src] = self.cited.get(src, 0) + 1
            claims.append(
                f"claim:g{self.claim_no} a ipc:Claim ;\n    rdf:subject {subject} ;\n    rdf:predicate {predicate} ;\n"
                f"    rdf:object {obj} ;\n    prov:wasAttributedTo {publisher} ;\n    prov:wasDerivedFrom {src} ;\n"
                f"    ipc:quote {lit(quote)} ;\n    ipc:locator \"paragraph {rng.randint(1, 12)}\" ;\n{extra}"
                f"    ipc:rank {rank} .\n\n")
            return f"claim:g{self.claim_no}"

        # People: affiliation and job title, as claims.
        for iri, name in people:
            src = rng.choice(sources)
            organisation = rng.choice(organisations)
            title = rng.choice(JOB_TITLES)
            claim(iri, "org:memberOf", organisation, src, f"{name}, {title} of the company, said the plant would open soon.")
            claim(iri, "schema:jobTitle", f"{lit(title)}@en", src, f"{name}, {title}, said the plant would open soon.")

        self.projects = []
        source_order = list(range(len(sources)))  # every source is cited: walk them round-robin
        for i in range(n["projects"]):
            sector = rng.choice(list(SECTORS))
            city, city_name, country = rng.choice(cities)
            name = f"{city_name} {SECTORS[sector]} {i}"
            iri = f"project:g{i}-{slug(name)}"
            kind = PROJECT_CLASS.get(sector, "ipc:Project")
            entities.append(f'{iri} a {kind} ; rdfs:label {lit(name)}@en .\n')
            self.projects.append((iri, name, country, sector))
            src = sources[source_order[i % len(sources)]]
            # Opened by the time the source reports it, after one to five years of works.
            opening = self.issued[src[0]] - timedelta(days=rng.randint(0, 3 * 365))
            start = opening - timedelta(days=rng.randint(365, 5 * 365))
            amount = rng.randint(5, 5000) * 1_000_000
            partners = rng.sample(organisations, rng.randint(1, 3))
            claim(iri, "ipc:hostCountry", country, src, f"The {name} is being built in {country.split(':')[1].title()}.")
            claim(iri, "ipc:sector", f"sector:{sector}", src, f"The {name} is a {SECTORS[sector]}.")
            claim(iri, "ipc:location", city, src, f"The {name} lies near {city_name}.")
            conflict = i % 20 == 7
            if conflict:
                other = sources[(source_order[i % len(sources)] + 1) % len(sources)]
                earlier = min(start, self.issued[other[0]]) - timedelta(days=rng.randint(30, 365))
                claim(iri, "ipc:constructionStart", f'"{earlier}"^^xsd:date', other,
                      f"A groundbreaking ceremony for the {name} was held on {earlier}.",
                      '    ipc:statedAs "groundbreaking ceremony"@en ;\n')
                claim(iri, "ipc:constructionStart", f'"{start}"^^xsd:date', src,
                      f"Construction of the {name} began on {start}.",
                      '    ipc:rankReason "The date works began is preferred over an earlier ceremony."@en ;\n',
                      rank="ipc:PreferredRank")
            else:
                claim(iri, "ipc:constructionStart", f'"{start}"^^xsd:date', src,
                      f"Construction of the {name} began on {start}.")
            claim(iri, "ipc:operationStart", f'"{opening}"^^xsd:date', src, f"The {name} opened on {opening}.")
            claim(iri, "ipc:investment",
                  f"[ a qudt:QuantityValue ; qudt:numericValue {amount} ; qudt:unit unit:CCY_USD ]", src,
                  f"The {name} cost about US ${amount // 1_000_000} million.",
                  f'    ipc:statedAs "US ${amount // 1_000_000} million"@en ;\n')
            for partner in partners:
                claim(iri, "ipc:partner", partner, src, f"The {name} is a partnership with {partner.split('-', 1)[1]}.")
            claim(iri, "ipc:builder", rng.choice(organisations), src, f"The {name} is built by a Chinese contractor.")
            claim(iri, "ipc:investor", rng.choice(organisations), src, f"The {name} is financed by an investor.")
        for iri, publisher in sources:  # a source no project drew still gets cited
            if iri not in self.cited:
                year = self.issued[iri].year
                claim(rng.choice(self.projects)[0], "ipc:operationStart", f'"{year}-01-01"^^xsd:date',
                      (iri, publisher), f"The plant opened at the start of {year}.")

        claims = self.seed_violations(claims)

        data = out / "data"
        (data / "generated-entities.ttl").write_text("".join(entities), encoding="utf-8")
        (data / "generated-sources.ttl").write_text("".join(sources_ttl), encoding="utf-8")
        per_file = 20000
        for k in range(0, len(claims), per_file):
            (data / f"generated-claims-{k // per_file:03d}.ttl").write_text(
                PREFIXES + "# Generated by benchmarks/generate.py: claims.\n\n" + "".join(claims[k:k + per_file]),
                encoding="utf-8")
        change = self.change_file(countries, organisations, sources)
        (out / "change-100.ttl").write_text(change, encoding="utf-8")
        (out / "seeded-violations.json").write_text(json.dumps(self.seeded, indent=1), encoding="utf-8")
        files = sorted((out / "ontology").glob("*.ttl")) + sorted(data.rglob("*.ttl"))
        summary = {"target_triples": self.target, "file_triples": count_triples(files), "bundled_triples": bundled,
                   "change_triples": count_triples([out / "change-100.ttl"]), "claims": self.claim_no,
                   "violations": len(self.seeded), **n}
        (out / "generated.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        return summary

    def seed_violations(self, claims: list[str]) -> list[str]:
        """Break exactly `violations` things, each giving one validation result."""
        if not self.violations:
            return claims
        rng = self.rng
        kinds = [("prov:wasDerivedFrom", "ClaimShape prov:wasDerivedFrom"), ("ipc:quote", "ClaimShape ipc:quote"),
                 ("ipc:locator", "ClaimShape ipc:locator"), ("hostCountry", "ProjectShape ipc:hostCountry")]
        # Only claims whose source is cited at least twice, so no source becomes uncited.
        host_claims = [k for k, c in enumerate(claims) if "rdf:predicate ipc:hostCountry" in c]
        other = [k for k, c in enumerate(claims) if "rdf:predicate ipc:operationStart" in c]
        rng.shuffle(host_claims)
        rng.shuffle(other)
        if self.violations > min(len(host_claims), len(other)) // 2:
            sys.exit(f"--violations {self.violations} is too many for a graph this small.")
        drop = set()
        for v in range(self.violations):
            what, shape = kinds[v % 4]
            if what == "hostCountry":
                k = host_claims.pop()
                subject = claims[k].split("rdf:subject ", 1)[1].split(" ;", 1)[0]
                drop.add(k)
                self.seeded.append({"kind": "project without host country", "focus": subject, "shape": shape})
                continue
            k = other.pop()
            lines = claims[k].split("\n")
            source = next(line for line in lines if "prov:wasDerivedFrom" in line).split()[1]
            if what == "prov:wasDerivedFrom" and self.cited[source] < 3:
                k = other.pop()
                lines = claims[k].split("\n")
                source = next(line for line in lines if "prov:wasDerivedFrom" in line).split()[1]
            if what == "prov:wasDerivedFrom":
                self.cited[source] -= 1
            claims[k] = "\n".join(line for line in lines if not line.strip().startswith(what))
            self.seeded.append({"kind": f"claim without {what}", "focus": lines[0].split()[0], "shape": shape})
        # a dropped host-country claim must not also have been edited
        return [c for k, c in enumerate(claims) if k not in drop]

    def change_file(self, countries, organisations, sources) -> str:
        """A new project with claims about existing generated entities: about 100 triples."""
        rng = random.Random(1)
        src, publisher = sources[0]
        opening = self.issued[src] - timedelta(days=30)
        start = opening - timedelta(days=3 * 365)
        p = "project:benchmark-change-new-plant"
        name = "Benchmark change new steel plant"
        lines = [PREFIXES, "# A change for the `ipckg add` benchmark: a new project claimed by an existing source.\n\n",
                 f"{p} a ipc:ManufacturingPlantProject ; rdfs:label {lit(name)}@en .\n\n"]
        facts = [("ipc:hostCountry", countries[-1]), ("ipc:sector", "sector:steel"),
                 ("ipc:constructionStart", f'"{start}"^^xsd:date'), ("ipc:operationStart", f'"{opening}"^^xsd:date'),
                 ("ipc:investment", "[ a qudt:QuantityValue ; qudt:numericValue 750000000 ; qudt:unit unit:CCY_USD ]"),
                 ("ipc:builder", organisations[0]), ("ipc:investor", organisations[1]),
                 ("ipc:partner", organisations[2]), ("ipc:partner", organisations[3]),
                 ("ipc:developer", organisations[4])]
        for k, (predicate, obj) in enumerate(facts):
            lines.append(
                f"claim:benchmark-change-{k} a ipc:Claim ;\n    rdf:subject {p} ;\n    rdf:predicate {predicate} ;\n"
                f"    rdf:object {obj} ;\n    prov:wasAttributedTo {publisher} ;\n    prov:wasDerivedFrom {src} ;\n"
                f"    ipc:quote \"The new steel plant, fact {k}.\" ;\n    ipc:locator \"paragraph {rng.randint(1, 9)}\" ;\n"
                f"    ipc:rank ipc:NormalRank .\n\n")
        return "".join(lines)


def count_triples(files) -> int:
    import pyoxigraph as ox

    total = 0
    for file in files:
        with open(file, "rb") as handle:
            total += sum(1 for _ in ox.parse(handle, format=ox.RdfFormat.TURTLE, base_iri=Path(file).resolve().as_uri()))
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples (files under ontology/ and data/)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write (replaced)")
    parser.add_argument("--violations", type=int, default=0, help="seed exactly N SHACL violations")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    summary = Generator(args.triples, args.violations, args.seed).write(args.out.resolve())
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
