import json
import os
import re
import signal
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ipckg.cli import cli
from ipckg.errors import InputError
from ipckg.store import FINGERPRINT_FILE, open_store

IPC = "https://w3id.org/ipckg/ontology#"


def values(store, subject, prop):
    return sorted(row["o"].value for row in store.query(f"SELECT ?o WHERE {{ <{subject}> <{prop}> ?o }}"))


def test_current_view_prefers_preferred_claims(store):
    laos = "https://w3id.org/ipckg/project/china-laos-railway"
    assert values(store, laos, IPC + "constructionStart") == ["2016-12-25"]
    assert values(store, laos, IPC + "groundbreakingDate") == ["2015-12-02"]


def test_current_view_leaves_out_deprecated_and_outranked(store):
    erasmus = "https://w3id.org/ipckg/organisation/erasmus-university-rotterdam"
    assert values(store, erasmus, "https://schema.org/name") == ["Erasmus University Rotterdam"]
    park = "https://w3id.org/ipckg/project/eastern-industrial-zone"
    assert values(store, park, "https://schema.org/name") == ["Eastern Industry Zone"]
    # A deprecated link leaves the view; the entity's other links stay.
    bam = "https://w3id.org/ipckg/place/bam"
    assert values(store, bam, "http://www.w3.org/2004/02/skos/core#exactMatch") == ["https://sws.geonames.org/141736/"]


def test_normal_claims_all_reach_the_view(store):
    railway = "https://w3id.org/ipckg/project/hungary-serbia-railway"
    assert values(store, railway, IPC + "hostCountry") == [
        "https://w3id.org/ipckg/country/hungary", "https://w3id.org/ipckg/country/serbia"]


def test_store_is_reused_until_a_file_changes(project_copy):
    first = open_store(project_copy)
    marker = first.path / FINGERPRINT_FILE
    stamp = marker.stat().st_mtime_ns
    del first
    assert open_store(project_copy).path.joinpath(FINGERPRINT_FILE).stat().st_mtime_ns == stamp

    extra = project_copy.data_dir / "extra.ttl"
    extra.write_text('<https://w3id.org/ipckg/country/malaysia> <http://www.w3.org/2004/02/skos/core#altLabel> "Persekutuan Malaysia"@ms .\n')
    rebuilt = open_store(project_copy)
    assert values(rebuilt, "https://w3id.org/ipckg/country/malaysia",
                  "http://www.w3.org/2004/02/skos/core#altLabel") == ["Persekutuan Malaysia"]


def test_malformed_turtle_names_file_and_line_and_keeps_old_store(project_copy):
    before = len(open_store(project_copy))
    bad = project_copy.data_dir / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n")
    with pytest.raises(InputError) as error:
        open_store(project_copy)
    message = str(error.value)
    assert message.startswith("data/broken.ttl is not valid Turtle") and "line 3" in message
    bad.unlink()
    assert len(open_store(project_copy)) == before
    assert cache_entries(project_copy) == ["build.lock", "store"]


def test_parameters_are_bound_as_terms(store):
    rows = list(store.query("SELECT ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
                            {"c": ox.NamedNode("https://w3id.org/ipckg/country/laos")}))
    assert [r["label"].value for r in rows] == ["Laos"]


def test_cache_location_follows_environment(project_copy):
    assert str(project_copy.cache_dir) == os.environ["IPCKG_CACHE"]


def cache_entries(project) -> list[str]:
    """The cache's entries, store folders named by kind: 'store' for a published one."""
    return sorted(re.sub(r"^store-[0-9a-f]{16}$", "store", p.name) for p in project.cache_dir.iterdir())


def ipckg(project, *args):
    return subprocess.Popen([sys.executable, "-m", "ipckg", *args], cwd=project.root,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_many_commands_at_once_after_a_change_all_answer_and_one_store_is_built(project_copy):
    open_store(project_copy)
    (project_copy.data_dir / "entities.ttl").touch()  # a change: every command below needs a new store
    processes = [ipckg(project_copy, "query", "run", "projects-by-year", "-p", "year=2016", "-f", "csv")
                 for _ in range(12)]
    outcomes = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    assert [code for code, _, _ in outcomes] == [0] * 12, [err for _, _, err in outcomes if err]
    # By hand from data/claims: the three projects whose current construction start is in 2016, by date
    # (Kuantan and Laos from their preferred claims, which outrank the article's 2014 and 2015 dates).
    assert {out for _, out, _ in outcomes} == {
        "project,projectLabel,constructionStart\n"
        "https://w3id.org/ipckg/project/jakarta-bandung-high-speed-railway,Jakarta-Bandung high-speed railway,2016-01-21\n"
        "https://w3id.org/ipckg/project/kuantan-steel-plant,Kuantan steel plant,2016-11-21\n"
        "https://w3id.org/ipckg/project/china-laos-railway,China-Laos railway,2016-12-25\n"}
    assert cache_entries(project_copy) == ["build.lock", "store"]


def damage_current(store):
    (store / "CURRENT").write_text("MANI")


def damage_sst(store):
    next(store.glob("*.sst")).write_bytes(b"garbage" * 10)


def delete_sst(store):
    next(store.glob("*.sst")).unlink()


@pytest.mark.parametrize("damage", [damage_current, damage_sst, delete_sst])
def test_a_damaged_store_is_rebuilt_with_a_one_line_notice(project_copy, damage):
    first = open_store(project_copy)
    path, count = first.path, len(first)
    del first
    damage(path)
    result = CliRunner().invoke(cli, ["stats", "-f", "json"], env={"IPCKG_PROJECT": str(project_copy.root)})
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Notice: The store cache {path} was damaged (") and result.stderr.endswith(
        "); rebuilding it.\n") and result.stderr.count("\n") == 1
    assert json.loads(result.stdout)["triples"] == count


KILLED_BUILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from ipckg import store
    from ipckg.project import Project

    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    store.load_files = killed  # dies with the build folder half made
    store.open_store(Project(Path(sys.argv[1])))
""")


def test_a_killed_build_leaves_no_store_and_its_leftovers_go_with_the_next_build(project_copy):
    child = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(project_copy.root)],
                           env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert [name.split("-")[0] + "-" + name.split(".")[1].split("-")[0] for name in
            os.listdir(project_copy.cache_dir) if "building" in name] == ["store-building"]
    assert len(open_store(project_copy)) > 5000
    assert cache_entries(project_copy) == ["build.lock", "store"]


def test_a_reader_keeps_its_store_while_a_new_one_is_built_and_it_goes_once_closed(project_copy):
    reader = open_store(project_copy)
    old = reader.path
    (project_copy.data_dir / "extra.ttl").write_text(
        '<https://w3id.org/ipckg/country/laos> <http://www.w3.org/2004/02/skos/core#altLabel> "Lao PDR"@en .\n')
    writer = ipckg(project_copy, "stats")
    assert writer.wait(timeout=120) == 0
    assert old.exists() and cache_entries(project_copy) == ["build.lock", "store", "store"]
    assert values(reader, "https://w3id.org/ipckg/country/laos", "http://www.w3.org/2004/02/skos/core#altLabel") == []
    del reader
    (project_copy.data_dir / "extra.ttl").write_text("")  # another change: the next build clears what no one uses
    assert values(open_store(project_copy), "https://w3id.org/ipckg/country/laos",
                  "http://www.w3.org/2004/02/skos/core#altLabel") == []
    assert not old.exists() and cache_entries(project_copy) == ["build.lock", "store"]


def test_a_cache_that_is_a_file_is_a_clear_error(project_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("IPCKG_CACHE", str(blocker))
    result = CliRunner().invoke(cli, ["stats"], env={"IPCKG_PROJECT": str(project_copy.root)})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: Cannot use {blocker} as the store cache: ")
    assert "IPCKG_CACHE" in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text() == "x"


VIEW = "https://w3id.org/ipckg/graph/current-view"


def test_the_view_is_its_own_named_graph_and_queries_see_both(store):
    """Asserted triples stay in the default graph; what the claims make current goes to the view graph."""
    kanupp = "https://w3id.org/ipckg/project/kanupp-2"
    in_view = [r["o"].value for r in store.query(
        f"SELECT ?o WHERE {{ GRAPH <{VIEW}> {{ <{kanupp}> <{IPC}operationStart> ?o }} }}")]
    assert in_view == ["2021-05"]  # the preferred claim's value (data/claims/ipckg-domain-brief.ttl)
    assert values(store, kanupp, IPC + "operationStart") == ["2021-05"]  # and queries read the union
    quads = list(store.quads())
    asserted = {q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
    derived = {q.triple for q in quads if q.graph_name == ox.NamedNode(VIEW)}
    assert asserted and derived and not asserted & derived and len(quads) == len(store)
    assert {q.graph_name for q in quads} == {ox.DefaultGraph(), ox.NamedNode(VIEW)}
    # The view holds no claim, type or label: only values of claimed properties.
    assert not [t for t in derived if t.predicate.value.startswith("http://www.w3.org/1999/02/22-rdf-syntax-ns#")]
    claims = {(r["s"], r["p"]) for r in store.query(
        "SELECT ?s ?p WHERE { ?c a <https://w3id.org/ipckg/ontology#Claim> ; "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p }")}
    assert {(t.subject, t.predicate) for t in derived} <= claims
