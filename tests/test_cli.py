"""The command line, through click's CliRunner and as a real process."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipckg.cli import cli
from servers import stalling_server

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "cli" / "new-claim.ttl"
BAD = FIXTURES / "cli" / "claim-without-source.ttl"


@pytest.fixture
def run(project):
    runner = CliRunner()

    def invoke(*args, project_root=None):
        return runner.invoke(cli, ["--project", str(project_root or project.root), *args], catch_exceptions=False)
    return invoke


def rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def test_query_list_names_every_saved_query(run, project):
    result = run("query", "list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == sorted(p.stem for p in (project.root / "queries").glob("*.rq"))
    assert "projects-by-year                 Projects whose construction started in a year  [year:year]" in result.output


def test_query_show_prints_header_and_sparql(run):
    result = run("query", "show", "projects-by-year")
    assert result.exit_code == 0
    assert result.output.startswith('#+ title = "Projects whose construction started in a year"')
    assert "SELECT ?project ?projectLabel ?constructionStart" in result.output


def test_query_run_with_parameter_as_csv(run):
    result = run("query", "run", "projects-by-country", "-p", "country=country:indonesia", "-f", "csv")
    assert result.exit_code == 0
    assert rows(result.output) == [{
        "country": "https://w3id.org/ipckg/country/indonesia", "countryLabel": "Indonesia",
        "project": "https://w3id.org/ipckg/project/jakarta-bandung-high-speed-railway",
        "projectLabel": "Jakarta-Bandung high-speed railway", "sectorLabel": "railways",
        "constructionStart": "2016-01-21"}]


@pytest.mark.parametrize("fmt, start", [
    ("json", '{"head":{"vars":["project","projectLabel","constructionStart"]}'),
    ("tsv", "?project\t?projectLabel\t?constructionStart\n"),
    ("xml", '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'),
    ("markdown", "| project | projectLabel | constructionStart |\n| --- | --- | --- |\n"),
    ("table", "project"),
])
def test_result_formats(run, fmt, start):
    result = run("query", "run", "projects-by-year", "-p", "year=2016", "-f", fmt)
    assert result.exit_code == 0
    assert result.output.startswith(start)
    assert "jakarta-bandung-high-speed-railway" in result.output


def test_construct_query_as_turtle_and_to_a_file(run, tmp_path):
    out = tmp_path / "kanupp.ttl"
    result = run("query", "run", "entity-description", "-p", "entity=project:kanupp-2", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    from rdflib import Graph, URIRef
    graph = Graph().parse(out)
    assert (URIRef("https://w3id.org/ipckg/project/kanupp-2"),
            URIRef("https://w3id.org/ipckg/ontology#constructionStart"), None) in graph
    assert run("query", "run", "entity-description", "-p", "entity=project:kanupp-2", "-f", "csv").exit_code == 2


def test_sparql_ad_hoc_with_project_prefixes(run, tmp_path):
    result = run("sparql", "SELECT ?p WHERE { ?p ipc:hostCountry country:pakistan }", "-f", "csv")
    assert result.exit_code == 0
    assert rows(result.output) == [{"p": "https://w3id.org/ipckg/project/kanupp-2"}]
    query = tmp_path / "ask.rq"
    query.write_text("ASK { project:kanupp-2 ipc:sector sector:electric-power }")
    assert run("sparql", f"@{query}").output == "true\n"


@pytest.mark.parametrize("args, message", [
    (["query", "run", "no-such-query"], "There is no saved query 'no-such-query'"),
    (["query", "run", "projects-by-year"], "needs the parameter 'year'"),
    (["query", "run", "projects-by-year", "-p", "year=twenty"], "Parameter 'year' of query 'projects-by-year' expects"),
    (["query", "run", "projects-by-year", "-p", "year=2015", "-p", "colour=red"], "has no parameter 'colour'"),
    (["query", "run", "projects-by-year", "-p", "year"], "Parameter 'year' is not KEY=VALUE"),
    (["sparql", "SELECT ?s WHERE { ?s ?p"], "The SPARQL query is malformed: error at 1:"),
    (["sparql", "@/nonexistent/q.rq"], "Cannot read the query file /nonexistent/q.rq"),
    (["query", "run", "projects-by-year", "-p", "year=2015", "--graph", "urn:g"], "--graph names a graph on a remote server"),
    (["query", "run", "projects-by-year", "-p", "year=2015", "--endpoint", "http://127.0.0.1:9/sparql"],
     "Could not connect to the SPARQL endpoint http://127.0.0.1:9/sparql"),
    (["sparql", "DROP ALL"], "This is a SPARQL Update (DROP), and querying only reads: nothing was sent"),
    (["sparql", "PREFIX g: <https://w3id.org/ipckg/> # comment\n CLEAR GRAPH g:graph"], "SPARQL Update (CLEAR)"),
    (["sparql", "insert data { <urn:a> <urn:b> <urn:c> }"], "SPARQL Update (INSERT)"),
    # Refused before any request: the port is closed, yet the answer is the refusal.
    (["sparql", "DROP ALL", "--endpoint", "http://127.0.0.1:9/sparql"], "SPARQL Update (DROP)"),
    (["sparql", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "--endpoint", "http://127.0.0.1:9/sparql"],
     "SPARQL Update (WITH)"),
    (["sparql", "ASK {}", "--endpoint", "not-a-url"], "The endpoint URL 'not-a-url' is not an absolute http://"),
    (["sparql", "ASK {}", "--endpoint", "file:///etc/passwd"], "The endpoint URL 'file:///etc/passwd' is not"),
    (["sparql", "ASK {}", "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "x> } ; CLEAR GRAPH <y"],
     "The graph IRI 'x> } ; CLEAR GRAPH <y' is not an absolute"),
    (["sparql", "ASK {}", "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "http://g/x> } ; CLEAR GRAPH <y"],
     "holds the character '>', which no IRI may contain"),
])
def test_errors_are_one_paragraph_with_exit_code_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unknown_project_is_a_usage_error(run, tmp_path):
    result = run("query", "list", project_root=tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path} is not an ipckg project" in result.output


def test_validate_reports_exact_violations_with_lines(run):
    result = run("validate", str(BAD), "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["conforms"], report["violations"], report["warnings"]) == (False, 1, 0)
    (only,) = report["results"]
    assert only["focus"] == "https://w3id.org/ipckg/claim/test-kanupp-2-electric-capacity-unsourced"
    assert only["path"] == "http://www.w3.org/ns/prov#wasDerivedFrom"
    assert only["message"] == ("A claim comes from exactly one source document "
                               "(prov:wasDerivedFrom an ipc:SourceDocument).")
    assert (only["file"], only["line"]) == (str(BAD), 9)


def test_validate_conforming_file(run):
    result = run("validate", str(GOOD))
    assert result.exit_code == 0
    assert result.output == "Conforms: no violations, no warnings.\n"


def test_add_rejects_and_changes_nothing(run, project_copy):
    before = {p: p.read_bytes() for p in project_copy.data_dir.rglob("*") if p.is_file()}
    result = run("add", str(BAD), project_root=project_copy.root)
    assert result.exit_code == 1
    assert "Rejected: nothing was added." in result.output
    assert {p: p.read_bytes() for p in project_copy.data_dir.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("triple, rule", [
    ("project:kanupp-2 ipc:operationStart \"2031-01-01\"^^xsd:date .", "ipcsh:FactsAreClaims"),
    ("ipc:Project rdfs:subClassOf ipc:Country .", "ipcsh:DataDoesNotDefineSchema"),
])
def test_add_refuses_bare_facts_and_schema_and_changes_nothing(run, project_copy, tmp_path, triple, rule):
    file = tmp_path / "sneaky.ttl"
    file.write_text("@prefix ipc: <https://w3id.org/ipckg/ontology#> .\n"
                    "@prefix project: <https://w3id.org/ipckg/project/> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + triple + "\n")
    before = {p: p.read_bytes() for p in project_copy.data_dir.rglob("*") if p.is_file()}
    result = run("add", str(file), project_root=project_copy.root)
    assert result.exit_code == 1
    assert f"shape {rule}; at {file}:5" in result.output
    assert "Rejected: nothing was added." in result.output
    assert {p: p.read_bytes() for p in project_copy.data_dir.rglob("*") if p.is_file()} == before
    assert run("check", project_root=project_copy.root).exit_code == 0


OPENING_IN_2031 = """@prefix ipc: <https://w3id.org/ipckg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix claim: <https://w3id.org/ipckg/claim/> .
claim:test-kanupp-2-opening-2031 a ipc:Claim ;
    rdf:subject <https://w3id.org/ipckg/project/kanupp-2> ;
    rdf:predicate ipc:{property} ;
    rdf:object "2031"^^xsd:gYear ;
    prov:wasAttributedTo <https://w3id.org/ipckg/person/li-gang> ;
    prov:wasDerivedFrom <https://w3id.org/ipckg/source/li-gang-2016> ;
    ipc:quote "The plant will open in 2031." ; ipc:locator "paragraph 1" ; ipc:rank ipc:NormalRank .
"""


def test_add_refuses_an_actual_date_after_its_source_and_today_but_takes_the_plan(run, project_copy, tmp_path):
    file = tmp_path / "opening.ttl"
    file.write_text(OPENING_IN_2031.format(property="operationStart"))
    refused = run("add", str(file), project_root=project_copy.root)
    assert refused.exit_code == 1
    plan = ("If the source states a plan or an expectation, claim it with ipc:plannedConstructionStart, "
            "ipc:plannedOperationStart or ipc:plannedCompletionDate.")
    assert (f"Violation: The source source:li-gang-2016 was published on 2016, so it cannot report an actual "
            f"ipc:operationStart on 2031. {plan}\n    value '2031'; shape ipcsh:ClaimOccurrenceDateShape; "
            f"at {file}:9") in refused.output
    assert f"Violation: An actual ipc:operationStart on 2031 lies in the future. {plan}" in refused.output
    assert "Rejected: nothing was added." in refused.output

    file.write_text(OPENING_IN_2031.format(property="plannedOperationStart"))
    assert run("add", str(file), project_root=project_copy.root).exit_code == 0
    view = run("sparql", "SELECT ?p ?d WHERE { project:kanupp-2 ?p ?d FILTER(DATATYPE(?d) = xsd:gYear) }", "-f", "csv",
               project_root=project_copy.root)
    assert rows(view.output) == [{"p": "https://w3id.org/ipckg/ontology#plannedOperationStart", "d": "2031"}]


def test_add_dry_run_then_add(run, project_copy):
    dry = run("add", "--dry-run", str(GOOD), project_root=project_copy.root)
    assert dry.exit_code == 0
    assert dry.output.startswith("Would add 14 new triple(s) (0 already in the graph):")
    assert not (project_copy.data_dir / "added").exists()

    added = run("add", str(GOOD), project_root=project_copy.root)
    assert added.exit_code == 0
    target = project_copy.data_dir / "added" / GOOD.name
    assert target.read_bytes() == GOOD.read_bytes()
    view = run("sparql", "SELECT ?d WHERE { project:kanupp-2 ipc:operationStart ?d }", "-f", "csv",
               project_root=project_copy.root)
    assert rows(view.output) == [{"d": "2021-05-20"}]
    again = run("add", str(GOOD), project_root=project_copy.root)
    assert again.exit_code == 2 and "already exists" in again.output


def test_check_passes_on_the_bundled_graph(run):
    result = run("check")
    assert result.exit_code == 0
    assert result.output.startswith("Conforms: no violations, no warnings.\n")
    assert result.output.endswith("All checks passed.\n")


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_check_fails_on_a_broken_graph(run, project_copy, engine):
    (project_copy.data_dir / "broken.ttl").write_text(BAD.read_text())
    result = run("check", "-f", "json", "--engine", engine, project_root=project_copy.root)
    assert result.exit_code == 1
    outcome = json.loads(result.output)
    assert outcome["passed"] is False and outcome["shacl"]["violations"] == 1
    assert outcome["failed_checks"] == {}


CLOSED_MALAYSIA = """
ipcsh:ClosedMalaysiaShape a sh:NodeShape ; sh:targetNode country:malaysia ;
    sh:closed true ; sh:ignoredProperties ( rdf:type rdfs:label skos:altLabel ) .
"""


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_check_runs_shapes_the_sparql_engine_cannot_compile(run, project_copy, engine):
    """sh:closed has no compiled query: the SPARQL engine hands the shape to pySHACL, and both agree."""
    shapes = project_copy.root / "shapes" / "ipckg-shapes.ttl"
    shapes.write_text("@prefix country: <https://w3id.org/ipckg/country/> .\n" + shapes.read_text() + CLOSED_MALAYSIA)
    result = run("check", "--engine", engine, project_root=project_copy.root)
    assert result.exit_code == 1, result.output
    closed = sorted(line.split(";")[0].strip() for line in result.output.splitlines()
                    if line.strip().startswith("path ") and "ClosedMalaysiaShape" in line)
    # Malaysia's triples: two codes in data/entities.ttl, three links claimed in data/claims/links.ttl.
    assert closed == ["path ipc:isoAlpha2", "path ipc:isoAlpha3",
                      "path skos:exactMatch", "path skos:exactMatch", "path skos:exactMatch"]


def test_check_refuses_sparql_that_shacl_forbids(run, project_copy):
    shapes = project_copy.root / "shapes" / "ipckg-shapes.ttl"
    shapes.write_text(shapes.read_text() + """
ipcsh:MinusShape a sh:NodeShape ; sh:targetClass ipc:Country ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }" ] .
""")
    result = run("check", project_root=project_copy.root)
    assert result.exit_code == 3
    assert result.output.startswith("Error: ") and "MINUS" in result.output and "MinusShape" in result.output
    assert "Traceback" not in result.output


def test_stats_as_json(run, store):
    result = run("stats", "-f", "json")
    assert result.exit_code == 0
    figures = json.loads(result.output)
    assert figures["triples"] == len(store)
    assert figures["links_per_target"] == {"dbpedia": 37, "geonames": 39, "wikidata": 37}
    assert figures["entities_per_class"]["https://w3id.org/ipckg/ontology#Country"] == 17
    assert figures["claims_per_source"]["https://w3id.org/ipckg/source/li-gang-2016"] == 134


def test_export_round_trips(run, store, tmp_path):
    out = tmp_path / "graph.nt"
    assert run("export", "-f", "ntriples", "-o", str(out)).exit_code == 0
    assert len([line for line in out.read_text().splitlines() if line.strip()]) == len(store)


def test_ctrl_c_exits_130_not_the_code_for_violations(run, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("ipckg.store.open_store", interrupted)
    result = run("stats")
    assert result.exit_code == 130
    assert "Interrupted." in result.output and "Aborted" not in result.output


def test_sigint_to_a_real_process_exits_130(project_copy):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen([sys.executable, "-m", "ipckg", "check"], cwd=project_copy.root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # check takes seconds (it builds the store first); interrupted at start-up, it exits 130 too
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Interrupted." in stderr and "Traceback" not in stderr


def test_real_process_start_up_and_exit_codes(project):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    ok = subprocess.run([sys.executable, "-m", "ipckg", "query", "run", "projects-by-year", "-p", "year=2016"],
                        cwd=project.root, env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0] == "project,projectLabel,constructionStart"
    bad = subprocess.run([sys.executable, "-m", "ipckg", "query", "run", "nope"],
                         cwd=project.root, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.startswith("Error: There is no saved query 'nope'") and "Traceback" not in bad.stderr


IMPOSSIBLE_DATE = Path(__file__).parent / "fixtures" / "cli" / "impossible-date.ttl"


@pytest.mark.parametrize("command", [["validate"], ["validate", "--engine", "pyshacl"], ["add", "--dry-run"]])
def test_an_ill_typed_literal_is_one_violation_and_no_rdflib_traceback(project_copy, command):
    """rdflib logs a traceback for 2014-02-30 as it parses; the user sees only the violation and its line."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("IPCKG_DEBUG", None)
    process = subprocess.run([sys.executable, "-m", "ipckg", *command, str(IMPOSSIBLE_DATE)], cwd=project_copy.root,
                             env=env, capture_output=True, text=True, timeout=120)
    assert process.returncode == 1
    output = process.stdout + process.stderr
    assert "Traceback" not in output and "Failed to convert" not in output
    assert ("Violation: A claimed date must be a valid xsd:date (2015-12-02), xsd:gYearMonth (2015-08) or xsd:gYear "
            "(2015).\n    path rdf:object; value '2014-02-30'; shape ipcsh:ClaimDateValueShape rdf:object; "
            f"at {IMPOSSIBLE_DATE}:13") in output


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"  # 5,900³ rows: hours


def ipckg_process(project, *args):
    return subprocess.Popen([sys.executable, "-m", "ipckg", *args], cwd=project.root,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stopped_by_deadline(process):
    started = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    return process.returncode, time.monotonic() - started, stderr


@pytest.mark.parametrize("what", ["runaway query", "silent SERVICE", "dripping endpoint"])
def test_every_query_stops_at_its_deadline_with_exit_4(project, what):
    with stalling_server(drip=what == "dripping endpoint") as server:
        args = {"runaway query": ["sparql", CARTESIAN],
                "silent SERVICE": ["sparql", f"SELECT * WHERE {{ SERVICE <{server}/sparql> {{ ?s ?p ?o }} }}"],
                "dripping endpoint": ["sparql", "ASK {}", "--endpoint", f"{server}/sparql"]}[what]
        process = ipckg_process(project, *args, "--timeout", "3")
        code, took, stderr = stopped_by_deadline(process)
    assert code == 4, stderr
    assert stderr == ("Error: the command did not finish within its deadline of 3 s and was stopped. "
                      "Give it longer with --timeout SECONDS (0: no deadline).\n")
    assert took < 10


def test_ctrl_c_stops_a_running_query_within_a_second(project):
    process = ipckg_process(project, "sparql", CARTESIAN)
    time.sleep(3.0)  # start-up done: Oxigraph is counting
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and stderr == "Interrupted.\n"
    assert time.monotonic() - started < 1.0


def data_snapshot(project):
    return {p: p.read_bytes() for p in project.data_dir.rglob("*") if p.is_file()}


@pytest.mark.parametrize("inside", ["data/entities.ttl", "ontology/new.ttl", "queries/x.rq", "shapes/x.ttl"])
def test_output_into_the_project_is_refused(run, project_copy, inside):
    before = data_snapshot(project_copy)
    result = run("query", "run", "projects-by-year", "-p", "year=2016", "-o", str(project_copy.root / inside),
                 project_root=project_copy.root)
    assert result.exit_code == 2
    folder = inside.split("/")[0]
    assert result.output.startswith(f"Error: {project_copy.root / inside} is inside the project's {folder}/ folder")
    assert data_snapshot(project_copy) == before and not (project_copy.root / "ontology" / "new.ttl").exists()


def test_output_that_cannot_be_written_names_the_path(run, tmp_path):
    result = run("export", "-o", "/proc/version")
    assert result.exit_code == 2
    assert result.output.startswith("Error: Cannot write /proc/version: ")
    assert [p for p in Path("/proc").glob(".version.*")] == []


def test_an_empty_file_is_nothing_to_add(run, project_copy, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ipc: <https://w3id.org/ipckg/ontology#> .\n")
    result = run("add", str(empty), project_root=project_copy.root)
    assert result.exit_code == 2
    assert result.output == f"Error: {empty} holds no triples: there is nothing to add. Nothing was written.\n"
    assert not (project_copy.data_dir / "added").exists()


@pytest.mark.parametrize("command", ["validate", "add"])
def test_relative_iris_are_refused_with_their_line(run, project_copy, tmp_path, command):
    file = tmp_path / "relative.ttl"
    file.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n<chaos-a> rdfs:label "Chaos"@en .\n')
    result = run(command, str(file), project_root=project_copy.root)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {file}, line 3: <chaos-a> is a relative IRI and the file declares no "
                                    "@base to resolve it against.")
    assert not (project_copy.data_dir / "added").exists()


def test_a_relative_iri_in_data_is_a_turtle_error_not_a_file_iri(run, project_copy):
    (project_copy.data_dir / "relative.ttl").write_text('<chaos-a> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    result = run("stats", project_root=project_copy.root)
    assert result.exit_code == 2
    assert result.output.startswith("Error: data/relative.ttl is not valid Turtle: ") and "line 1" in result.output


def test_a_huge_parameter_value_is_cut_in_the_message(run):
    result = run("query", "run", "projects-by-year", "-p", "year=" + "1" * 100_000)
    assert result.exit_code == 2
    assert result.output == ("Error: Parameter 'year' of query 'projects-by-year' expects a four-digit year (bound as "
                             f"xsd:integer); got {'1' * 60!r}… (100,000 characters).\n")


def test_a_repeated_parameter_is_refused(run):
    result = run("query", "run", "projects-by-year", "-p", "year=2015", "-p", "year=2016")
    assert result.exit_code == 2
    assert result.output == ("Error: Parameter 'year' is given twice ('2015' and '2016'); a query parameter takes "
                             "one value.\n")


def test_a_full_disk_while_adding_is_a_clear_error_and_changes_nothing(project_copy):
    """A real process whose files may not grow past 4 KiB (RLIMIT_FSIZE): writes fail as on a full disk."""
    import resource

    subprocess.run([sys.executable, "-m", "ipckg", "stats"], cwd=project_copy.root, check=True,
                   capture_output=True, timeout=120)  # the store is built without the limit
    before = data_snapshot(project_copy)
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # noqa: E731
    big = project_copy.root.parent / "big-claim.ttl"
    big.write_text(GOOD.read_text() + "\n" + "# padding\n" * 1000)
    process = subprocess.run([sys.executable, "-m", "ipckg", "add", str(big)], cwd=project_copy.root,
                             preexec_fn=limit, capture_output=True, text=True, timeout=120)
    assert process.returncode == 2, process.stderr
    assert process.stderr.startswith("Error: Cannot write ") and "Nothing was changed" in process.stderr
    assert "Traceback" not in process.stderr
    assert data_snapshot(project_copy) == before


def test_a_full_disk_while_building_the_store_is_a_clear_error(project_copy):
    import resource

    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # noqa: E731
    process = subprocess.run([sys.executable, "-m", "ipckg", "stats"], cwd=project_copy.root, preexec_fn=limit,
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 2, process.stderr
    assert process.stderr.startswith(f"Error: Cannot build the store in {project_copy.cache_dir}: ")
    assert "set IPCKG_CACHE to another folder" in process.stderr and "Traceback" not in process.stderr
    assert [p.name for p in project_copy.cache_dir.iterdir() if "building" in p.name] == []


def test_a_read_only_data_folder_is_a_clear_error_and_changes_nothing(run, project_copy, monkeypatch):
    """Tests run as root, whom chmod does not stop: the file system's refusal is simulated where it comes."""
    import errno
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", kwargs.get("dir") or args[0])

    before = data_snapshot(project_copy)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = run("add", str(GOOD), project_root=project_copy.root)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: Cannot write {project_copy.data_dir / 'added'}: the file system is "
                                    "read-only. Nothing was changed;")
    assert data_snapshot(project_copy) == before


def test_export_as_quads_keeps_the_view_apart(run, store, tmp_path):
    out = tmp_path / "graph.nq"
    assert run("export", "-f", "nquads", "-o", str(out)).exit_code == 0
    lines = [line for line in out.read_text().splitlines() if line.strip()]
    view = [line for line in lines if line.endswith("<https://w3id.org/ipckg/graph/current-view> .")]
    assert len(lines) == len(store) and 0 < len(view) < len(lines) / 5
    derived = sum(1 for _ in store.query("SELECT * WHERE { GRAPH <https://w3id.org/ipckg/graph/current-view> { ?s ?p ?o } }"))
    assert len(view) == derived
    assert any("<https://w3id.org/ipckg/ontology#operationStart>" in line for line in view)
    assert not any("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in line for line in view)


def test_query_run_pages_with_limit_and_offset(run, project):
    whole = rows(run("query", "run", "claims-by-source", "-f", "csv").output)
    assert len(whole) > 6
    runner = CliRunner()
    second = runner.invoke(cli, ["--project", str(project.root), "query", "run", "claims-by-source", "-f", "csv",
                                 "--limit", "3", "--offset", "3"])
    assert second.exit_code == 0
    assert rows(second.stdout) == whole[3:6]
    assert second.stderr == "More rows follow: --offset 6 for the next 3, --limit 0 for all.\n"
    last = runner.invoke(cli, ["--project", str(project.root), "query", "run", "claims-by-source", "-f", "csv",
                               "--offset", str(len(whole) - 1)])
    assert rows(last.stdout) == whole[-1:] and last.stderr == ""
    assert rows(run("query", "run", "claims-by-source", "-f", "csv", "--limit", "0").output) == whole
