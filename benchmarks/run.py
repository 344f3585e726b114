#!/usr/bin/env python3
"""Benchmark ipckg against reference engines at several graph sizes (issue 6).

    python benchmarks/run.py --sizes 10k,100k,1M [--runs 3] [--skip-pyshacl-above 100000]

For each size it generates (if missing) benchmarks/generated/<size> with
benchmarks/generate.py, then measures, each heavy step in a fresh child
process (wall time in the child, peak RSS from os.wait4 of the child):

  load      ipckg build_store (bulk load + current view) vs raw pyoxigraph
            Store.bulk_load of the same files into an on-disk store
  queries   every saved query without SERVICE through ipckg GraphStore.query
            (default parameters, required ones given) vs raw Store.query of the
            same text (the VALUES-bound text ipckg sends) on the same store
  shacl     ipckg validate_store (the SPARQL engine by default; before 2026-11-29 pySHACL, including the
            store -> rdflib copy) vs pyshacl.validate called directly with
            default options, vs pyrudof, vs Apache Jena SHACL; all on the same
            data (the store exported to N-Triples: files + current view) and
            shapes; plus all of them on the core-only shapes (sh:sparql removed)
  add       validate_files of the ~100-triple change on the big store
            (in-process) and `ipckg add --dry-run` as a process
  startup   `ipckg query list`, `ipckg query run projects-by-country`
            (hyperfine when installed)
  memory    peak RSS of every child process and of each ipckg command

Raw JSON goes to benchmarks/runs/<timestamp>.json; benchmarks/RESULTS.md is
written from it (`--report-only FILE` rewrites the report from a JSON).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench"))
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
REQUIRED = {"entity": "project:kanupp-2", "year": "2015"}
JENA_CP_EXTRA = SCRATCH / "jenafix" / "res"


# ====================================================================== workers
# Each runs in its own process: `run.py --worker NAME JSON-ARGS`, prints JSON.

def w_load_ipckg(a):
    from ipckg.project import Project
    from ipckg.store import build_store, fingerprint

    project = Project(Path(a["project"]))
    dest = Path(a["dest"])
    shutil.rmtree(dest, ignore_errors=True)
    t = time.perf_counter()
    build_store(project, dest, fingerprint(project))
    return {"seconds": time.perf_counter() - t}


def w_load_raw(a):
    import pyoxigraph as ox
    from ipckg.project import Project

    files = Project(Path(a["project"])).graph_files()
    dest = Path(a["dest"])
    shutil.rmtree(dest, ignore_errors=True)
    t = time.perf_counter()
    store = ox.Store(str(dest))
    for f in files:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=f.as_uri())
    store.flush()
    loaded = time.perf_counter() - t
    result = {"seconds": loaded, "triples_loaded": len(store)}
    if a.get("view"):
        from ipckg.store import current_view_rule

        t = time.perf_counter()
        store.update(current_view_rule(Project(Path(a["project"]))))
        store.flush()
        result["view_seconds"] = time.perf_counter() - t
        result["triples_with_view"] = len(store)
    return result


# The current view with the NOT EXISTS replaced by a join against the preferred
# (subject, property) pairs: same triples, linear instead of quadratic in Oxigraph.
FAST_VIEW_RULE = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ipc: <https://w3id.org/ipckg/ontology#>
INSERT { ?subject ?property ?value }
WHERE {
  ?claim a ipc:Claim ; rdf:subject ?subject ; rdf:predicate ?property ; rdf:object ?value ; ipc:rank ?rank .
  OPTIONAL { SELECT DISTINCT ?subject ?property (true AS ?preferredExists)
             WHERE { ?preferred a ipc:Claim ; rdf:subject ?subject ; rdf:predicate ?property ;
                                ipc:rank ipc:PreferredRank . } }
  FILTER (?rank = ipc:PreferredRank || (?rank = ipc:NormalRank && !BOUND(?preferredExists)))
}"""


def w_build_fast(a):
    """The store ipckg would build, with FAST_VIEW_RULE, marked current for ipckg."""
    import pyoxigraph as ox
    from ipckg.project import Project
    from ipckg.store import FINGERPRINT_FILE, fingerprint, load_files

    project = Project(Path(a["project"]))
    dest = Path(a["dest"])
    shutil.rmtree(dest, ignore_errors=True)
    t = time.perf_counter()
    store = ox.Store(str(dest))
    load_files(store, project.graph_files(), project.root)
    t1 = time.perf_counter()
    store.update(FAST_VIEW_RULE)
    store.flush()
    t2 = time.perf_counter()
    n = len(store)
    del store
    (dest / FINGERPRINT_FILE).write_text(fingerprint(project))
    return {"seconds": t2 - t, "load_seconds": t1 - t, "view_seconds": t2 - t1, "triples": n}


def _materialise(result):
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return 1
    return sum(1 for _ in result)


def w_queries(a):
    import pyoxigraph as ox
    from ipckg.project import Project
    from ipckg.queries import saved_queries
    from ipckg.sparql import with_values
    from ipckg.store import GraphStore

    project = Project(Path(a["project"]))
    raw = ox.Store.read_only(a["store"])
    store = GraphStore(raw)
    out = {}
    for saved in saved_queries(project):
        if a.get("only") and saved.name != a["only"]:
            continue
        if re.search(r"\bSERVICE\b", saved.sparql, re.I):
            out[saved.name] = {"skipped": "federated (SERVICE)"}
            continue
        bindings = saved.bind({p.name: REQUIRED[p.name] for p in saved.parameters if p.required})
        text = with_values(saved.sparql, bindings)
        ipckg_times, raw_times, rows = [], [], None
        t = time.perf_counter()
        _materialise(store.query(saved.sparql, bindings))  # warm the caches once for both
        runs = a["runs"] if time.perf_counter() - t < 2 else 1
        for _ in range(runs):
            t = time.perf_counter()
            rows = _materialise(store.query(saved.sparql, bindings))
            ipckg_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            _materialise(raw.query(text, use_default_graph_as_union=True))  # the view is a named graph
            raw_times.append(time.perf_counter() - t)
        out[saved.name] = {"ipckg": ipckg_times, "raw": raw_times, "rows": rows}
    return out


def w_export(a):
    import pyoxigraph as ox

    store = ox.Store.read_only(a["store"])
    t = time.perf_counter()
    with open(a["out"], "wb") as handle:
        ox.serialize((q.triple for q in store), handle, format=ox.RdfFormat.N_TRIPLES)
    return {"seconds": time.perf_counter() - t, "triples": len(store)}


def _shapes_path(a):
    return a["shapes"]


def w_validate_ipckg(a):
    """ipckg's whole-graph validation on the store: the SPARQL engine by default, or pySHACL."""
    import pyoxigraph as ox
    from ipckg.project import Project
    from ipckg.store import GraphStore
    from ipckg.validation import load_shapes, validate_graph, validate_store

    project = Project(Path(a["project"]))
    store = GraphStore(ox.Store.read_only(a["store"]))
    engine = a.get("engine", "sparql")
    t0 = time.perf_counter()
    if a.get("shapes_file"):
        from rdflib import Graph
        from ipckg.terms import triples_to_graph

        data = triples_to_graph(store.triples())
        report = validate_graph(data, Graph().parse(a["shapes_file"], format="turtle"), engine=engine)
    else:
        report = validate_store(store, project, engine=engine)
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "copy_seconds": 0.0, "validate_seconds": t1 - t0,
            "violations": report.count("Violation"), "warnings": report.count("Warning")}


def w_validate_pyshacl(a):
    import pyshacl
    from rdflib import Graph

    t0 = time.perf_counter()
    data = Graph().parse(a["data"], format="nt")
    t1 = time.perf_counter()
    conforms, results, _ = pyshacl.validate(data, shacl_graph=a["shapes"], shacl_graph_format="turtle")
    t2 = time.perf_counter()
    from rdflib import RDF, Namespace
    sh = Namespace("http://www.w3.org/ns/shacl#")
    n = sum(1 for r in results.subjects(RDF.type, sh.ValidationResult)
            if results.value(r, sh.resultSeverity) == sh.Violation)
    return {"seconds": t2 - t0, "parse_seconds": t1 - t0, "validate_seconds": t2 - t1,
            "conforms": conforms, "violations": n}


def w_validate_pyrudof(a):
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    t0 = time.perf_counter()
    rudof.read_data(a["data"], format=pyrudof.RDFFormat.NTriples)
    t1 = time.perf_counter()
    rudof.read_shacl(a["shapes"], format=pyrudof.ShaclFormat.Turtle)
    t2 = time.perf_counter()
    report = rudof.validate_shacl()
    t3 = time.perf_counter()
    conforms = report.conforms() if callable(report.conforms) else report.conforms
    violations = report.violations() if callable(report.violations) else report.violations
    violations = violations if isinstance(violations, int) else len(list(violations))
    return {"seconds": t3 - t0, "parse_seconds": t1 - t0, "shapes_seconds": t2 - t1, "validate_seconds": t3 - t2,
            "conforms": bool(conforms), "violations": violations}


WORKERS = {name[2:]: fn for name, fn in globals().items() if name.startswith("w_")}


# ======================================================================= parent

def child(worker: str, args: dict, timeout: float | None = None) -> dict:
    """Run a worker in a fresh process; its JSON plus wall time and peak RSS (MiB)."""
    return process([sys.executable, __file__, "--worker", worker, json.dumps(args)], timeout=timeout, parse=True)


def process(cmd: list[str], timeout: float | None = None, parse: bool = False, env=None, cwd=None) -> dict:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    deadline = None if timeout is None else time.monotonic() + timeout
    import threading

    out_chunks, err_chunks = [], []
    readers = [threading.Thread(target=lambda s=s, c=c: c.append(s.read()))
               for s, c in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for r in readers:
        r.start()
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.01)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    stdout, stderr = b"".join(out_chunks).decode(errors="replace"), b"".join(err_chunks).decode(errors="replace")
    result = {"wall": wall, "rss_mib": usage.ru_maxrss / 1024, "rc": proc.returncode}
    if timed_out:
        result["timeout"] = timeout
        return result
    if parse:
        if proc.returncode != 0:
            result["error"] = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}"
            return result
        result.update(json.loads(stdout.strip().splitlines()[-1]))
    else:
        result["stdout_tail"] = stdout[-400:]
        result["stderr_tail"] = stderr[-400:]
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def repeat(n: int, fn, cap: float | None = None) -> list[dict]:
    """n runs of fn; stop after the first run when it took longer than cap seconds."""
    runs = []
    for _ in range(n):
        r = fn()
        runs.append(r)
        print("   ", {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()
                      if k not in ("stdout_tail", "stderr_tail")}, flush=True)
        if r.get("error") or r.get("timeout") or (cap and r.get("wall", 0) > cap):
            break
    return runs


def core_only_shapes(shapes_dir: Path, out: Path) -> list[str]:
    """The shapes without SHACL-SPARQL constraints; returns the shapes that had one."""
    from rdflib import Graph, Namespace
    from rdflib.collection import Collection  # noqa: F401

    sh = Namespace("http://www.w3.org/ns/shacl#")
    g = Graph()
    for f in sorted(shapes_dir.glob("*.ttl")):
        g.parse(f, format="turtle")
    removed = []
    for shape, constraint in list(g.subject_objects(sh.sparql)):
        removed.append(str(shape))
        for triple in list(g.triples((constraint, None, None))):
            g.remove(triple)
        g.remove((shape, sh.sparql, constraint))
    g.serialize(out, format="turtle")
    return sorted(set(removed))


def jena_classpath() -> str | None:
    cp_file = SCRATCH / "jena-cp.txt"
    if not cp_file.exists():
        deps = subprocess.run(["apt-cache", "depends", "--recurse", "--important", "libapache-jena-java"],
                              capture_output=True, text=True).stdout.split()
        jars = set()
        for p in {d for d in deps if re.match(r"^[a-z0-9][a-z0-9.+-]+$", d)}:
            listing = subprocess.run(["dpkg", "-L", p], capture_output=True, text=True).stdout.split()
            jars |= {j for j in listing if re.match(r"^/usr/share/java/[^/]*\.jar$", j)}
        jars = {j for j in jars if not re.search(r"log4j-over-slf4j|slf4j-(jcl|jdk14|log4j12|simple)", j)}
        if not any("jena-shacl" in j for j in jars):
            return None
        cp_file.write_text(":".join(sorted(jars)))
    if not JENA_CP_EXTRA.exists():
        # Debian's jena-core relocates Xerces to `xerces.*` but keeps its message
        # resources under org/apache/jena/ext/xerces: copy them where the classes look.
        tmp = SCRATCH / "jenafix" / "x"
        tmp.mkdir(parents=True, exist_ok=True)
        subprocess.run(["unzip", "-q", "-o", "/usr/share/java/jena-core.jar", "org/apache/jena/ext/xerces/*",
                        "-d", str(tmp)], check=True)
        shutil.copytree(tmp / "org/apache/jena/ext/xerces", JENA_CP_EXTRA / "xerces")
    return f"{JENA_CP_EXTRA}:{cp_file.read_text()}"


def jena_run(data: Path, shapes: Path, timeout: float) -> dict:
    cp = jena_classpath()
    if cp is None:
        return {"error": "libapache-jena-java not installed"}
    r = process(["java", "-Xmx8g", "-cp", cp, "shacl.shacl", "validate", "--text", "--shapes", str(shapes),
                 "--data", str(data)], timeout=timeout)
    text = r.get("stdout_tail", "") + r.get("stderr_tail", "")
    r["conforms"] = "Conforms" in text and "Does not conform" not in text
    return r


def versions() -> dict:
    import importlib.metadata as md

    v = {"python": platform.python_version()}
    for pkg in ("ipckg", "pyoxigraph", "pyshacl", "rdflib", "pyrudof"):
        try:
            v[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            v[pkg] = None
    jena = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libapache-jena-java"], capture_output=True, text=True)
    v["jena"] = jena.stdout or None
    java = subprocess.run(["java", "-version"], capture_output=True, text=True)
    v["java"] = (java.stderr.splitlines() or [""])[0]
    hf = shutil.which("hyperfine")
    v["hyperfine"] = subprocess.run([hf, "--version"], capture_output=True, text=True).stdout.strip() if hf else None
    return v


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem / 1024 / 1024, 1),
            "os": platform.platform(), "disk_scratch": str(SCRATCH)}


def ipckg_cmd(project: Path, *args) -> list[str]:
    exe = shutil.which("ipckg") or "ipckg"
    return [exe, "--project", str(project), *args]


def startup(project: Path, runs: int, env: dict) -> dict:
    out = {}
    commands = {"query list": ipckg_cmd(project, "query", "list"),
                "query run projects-by-country": ipckg_cmd(project, "query", "run", "projects-by-country", "-f", "csv")}
    hf = shutil.which("hyperfine")
    for name, cmd in commands.items():
        rss = [process(cmd, env=env)["rss_mib"] for _ in range(2)]
        if hf:
            export = SCRATCH / "hyperfine.json"
            subprocess.run([hf, "--warmup", "2", "--runs", str(max(runs, 10)), "--export-json", str(export),
                            "--style", "none", " ".join(f"'{c}'" for c in cmd)], capture_output=True, check=True, env=env)
            times = json.loads(export.read_text())["results"][0]["times"]
            out[name] = {"times": times, "median": statistics.median(times), "rss_mib": max(rss), "tool": "hyperfine"}
        else:
            times = [process(cmd, env=env)["wall"] for _ in range(max(runs, 10))]
            out[name] = {"times": times, "median": statistics.median(times), "rss_mib": max(rss), "tool": "subprocess"}
    python = [process([sys.executable, "-c", "pass"])["wall"] for _ in range(10)]
    out["python -c pass"] = {"median": statistics.median(python)}
    return out


def bench_size(label: str, triples: int, args) -> dict:
    project = HERE / "generated" / label
    if not (project / "generated.json").exists() or args.regenerate:
        print(f"== generating {label}", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(triples), "--out", str(project)],
                       check=True)
    res = {"size": label, "generated": json.loads((project / "generated.json").read_text())}
    work = SCRATCH / label
    work.mkdir(parents=True, exist_ok=True)
    cheap, expensive = args.runs_cheap, args.runs

    print(f"== {label}: load", flush=True)
    ipckg_store, raw_store = work / "ipckg-store", work / "raw-store"
    res["load_ipckg"] = repeat(expensive, lambda: child("load_ipckg", {"project": str(project), "dest": str(ipckg_store)},
                                                        timeout=args.load_timeout), cap=args.cap)
    res["load_fast_view"] = repeat(expensive, lambda: child("build_fast", {"project": str(project),
                                                                          "dest": str(ipckg_store)}), cap=args.cap)
    res["load_raw"] = repeat(expensive, lambda: child("load_raw", {"project": str(project), "dest": str(raw_store)}))
    res["load_raw_view"] = repeat(1, lambda: child("load_raw", {"project": str(project), "dest": str(raw_store),
                                                                "view": True}))

    print(f"== {label}: queries", flush=True)
    from ipckg.project import Project
    from ipckg.queries import saved_queries

    res["queries"] = {}
    for saved in saved_queries(Project(project)):
        r = child("queries", {"project": str(project), "store": str(ipckg_store), "runs": cheap, "only": saved.name},
                  timeout=args.query_timeout)
        res["queries"][saved.name] = r.get(saved.name) or {"skipped": f"timeout: over {args.query_timeout:.0f} s"
                                                          if r.get("timeout") else r.get("error", "?")}
        print("   ", saved.name, {k: v for k, v in res["queries"][saved.name].items() if k != "rows"}, flush=True)

    print(f"== {label}: export for the validators", flush=True)
    data = work / "graph.nt"
    res["export"] = child("export", {"store": str(ipckg_store), "out": str(data)})
    shapes = work / "shapes.ttl"
    core = work / "shapes-core.ttl"
    from rdflib import Graph

    g = Graph()
    for f in sorted((project / "shapes").glob("*.ttl")):
        g.parse(f, format="turtle")
    g.serialize(shapes, format="turtle")
    res["sparql_shapes"] = core_only_shapes(project / "shapes", core)

    n = res["generated"]["file_triples"]
    slow_ok = n <= args.skip_pyshacl_above
    res["shacl"] = {}
    for variant, shapes_file in (("full", shapes), ("core", core)):
        print(f"== {label}: SHACL ({variant} shapes)", flush=True)
        s = res["shacl"][variant] = {}
        kw = {"project": str(project), "store": str(ipckg_store)}
        if variant == "core":
            kw["shapes_file"] = str(core)
        # The SPARQL engine on the store, at every size; the core variant validates an rdflib copy.
        s["ipckg"] = repeat(expensive, lambda: child("validate_ipckg", kw, timeout=args.timeout), cap=args.cap) \
            if variant == "full" or slow_ok else [{"skipped": f"rdflib copy not made above {args.skip_pyshacl_above} triples"}]
        if slow_ok:
            if variant == "full" and n > args.pyshacl_direct_full_max:
                s["pyshacl"] = [{"skipped": f"plain pyshacl re-parses each SHACL-SPARQL query per focus node; "
                                            f"not run above {args.pyshacl_direct_full_max} triples"}]
            else:
                s["pyshacl"] = repeat(expensive, lambda: child("validate_pyshacl", {"data": str(data),
                                      "shapes": str(shapes_file)}, timeout=args.timeout), cap=args.cap)
        else:
            s["pyshacl"] = [{"skipped": f"pySHACL not run above {args.skip_pyshacl_above} triples"}]
        s["pyrudof"] = repeat(expensive, lambda: child("validate_pyrudof", {"data": str(data), "shapes": str(shapes_file)},
                                                       timeout=args.timeout), cap=args.cap)
        s["jena"] = repeat(expensive, lambda: jena_run(data, shapes_file, args.timeout), cap=args.cap)

    print(f"== {label}: ipckg commands as processes", flush=True)
    cache = work / "cache"
    env = dict(os.environ, IPCKG_CACHE=str(cache))
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    from ipckg.store import STORE_PREFIX, fingerprint

    # Where open_store looks for the store of these files (its marker holds the same fingerprint).
    cached_store = cache / f"{STORE_PREFIX}{fingerprint(Project(project))[:16]}"
    shutil.copytree(ipckg_store, cached_store)
    cmds = {}
    cmds["stats"] = process(ipckg_cmd(project, "stats"), env=env)
    change = project / "change-100.ttl"
    cmds["add --dry-run change-100.ttl"] = repeat(cheap, lambda: process(ipckg_cmd(project, "add", "--dry-run", str(change)),
                                                                         env=env))
    cmds["validate change-100.ttl"] = process(ipckg_cmd(project, "validate", str(change)), env=env)
    cmds["check"] = process(ipckg_cmd(project, "check"), env=env)
    res["commands"] = cmds

    print(f"== {label}: add (in process)", flush=True)
    res["add_inprocess"] = child("add_inprocess", {"project": str(project), "store": str(cached_store),
                                                   "change": str(change), "runs": cheap})
    print(f"== {label}: start-up", flush=True)
    res["startup"] = startup(project, cheap, env)
    return res


def w_add_inprocess(a):
    import pyoxigraph as ox
    from ipckg.curation import review_files
    from ipckg.project import Project
    from ipckg.store import GraphStore
    from ipckg.validation import validate_files

    project = Project(Path(a["project"]))
    store = GraphStore(ox.Store.read_only(a["store"]))
    change = Path(a["change"])
    validate_files(store, project, [change])  # imports pyshacl, warms caches
    times, add_times, conforms = [], [], None
    for _ in range(a["runs"]):
        t = time.perf_counter()
        report, _ = validate_files(store, project, [change])
        times.append(time.perf_counter() - t)
        conforms = report.conforms
        t = time.perf_counter()
        review_files(store, project, [change])  # what add --dry-run does once the store is open
        add_times.append(time.perf_counter() - t)
    return {"validate_files": times, "add_files_dry_run": add_times, "conforms": conforms}


WORKERS["add_inprocess"] = w_add_inprocess


# ======================================================================= report

def fmt(x, unit="s"):
    if x is None:
        return "–"
    if unit == "s":
        return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"
    return f"{x:.0f} MiB"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def med(runs, key="seconds"):
    return median([r.get(key) for r in runs if isinstance(r, dict)]) if runs else None


def extrapolate(points: list[tuple[float, float]], n: float) -> float | None:
    """Power law through the two largest measured sizes."""
    points = [(x, y) for x, y in points if x and y]
    if len(points) < 2:
        return None
    import math

    (x1, y1), (x2, y2) = points[-2], points[-1]
    slope = math.log(y2 / y1) / math.log(x2 / x1)
    return y2 * (n / x2) ** slope


def report(data: dict) -> str:
    m, v = data["machine"], data["versions"]
    lines = ["# ipckg benchmarks (issue 6)", "",
             f"Run {data['started']} with `python benchmarks/run.py {data['argv']}`; raw figures in "
             f"`benchmarks/runs/{data['json_name']}`. How to run and what each figure means: "
             "[README.md](README.md).", "",
             "## Machine and versions", "",
             f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gib']} GiB; {m['os']}",
             f"- Python {v['python']}, ipckg {v['ipckg']}, pyoxigraph {v['pyoxigraph']}, pyshacl {v['pyshacl']}, "
             f"rdflib {v['rdflib']}, pyrudof {v['pyrudof']}, Apache Jena {v['jena']} ({v['java']}), {v['hyperfine']}",
             f"- Medians of {data['args']['runs']} runs for expensive steps (1 when a run exceeded "
             f"{data['args']['cap']:.0f} s), {data['args']['runs_cheap']} for cheap ones; each heavy step in a fresh "
             "process; peak RSS is the child's `ru_maxrss`.", ""]
    sizes = data["sizes"]
    lines += ["## Graphs", "", "| size | triples in files | in store (with current view) | projects | claims | "
              "change file |", "|---|---|---|---|---|---|"]
    for s in sizes:
        g = s["generated"]
        lines.append(f"| {s['size']} | {g['file_triples']:,} | {s['export'].get('triples', 0):,} | {g['projects']:,} | "
                     f"{g['claims']:,} | {g['change_triples']} triples |")

    lines += ["", "## Loading (target at 1M: ipckg within 2× of raw pyoxigraph bulk load)", "",
              "| size | ipckg build_store | raw bulk_load | ratio | current view (ipckg rule) | peak RSS ipckg / raw |",
              "|---|---|---|---|---|---|"]
    for s in sizes:
        a, b = med(s["load_ipckg"]), med(s["load_raw"])
        if s["load_ipckg"][0].get("timeout"):
            a = None
        view = med(s["load_raw_view"], "view_seconds")
        fast = med(s.get("load_fast_view", []))
        timeout = s["load_ipckg"][0].get("timeout")
        lines.append(f"| {s['size']} | {('> %.0f s (timeout)' % timeout) if timeout else fmt(a)} | {fmt(b)} | "
                     f"**{ratio(a, b) if a else '> ' + ratio(timeout, b)}** (with linear view rule: {ratio(fast, b)}) | "
                     f"{fmt(view)} (linear rule: {fmt(med(s.get('load_fast_view', []), 'view_seconds'))}) | "
                     f"{fmt(max(r['rss_mib'] for r in s['load_ipckg']), 'm')} / "
                     f"{fmt(max(r['rss_mib'] for r in s['load_raw']), 'm')} |")

    lines += ["", "## Saved queries (target at 1M: each within 1.5× of raw pyoxigraph)", "",
              "Median per query; `ratio` = ipckg GraphStore.query / raw Store.query of the same bound text on "
              "the same store, results fully iterated. Federated queries (SERVICE) are skipped.", ""]
    names = [n for n, q in sizes[0]["queries"].items() if isinstance(q, dict) and "federated" not in str(q.get("skipped"))]
    for s in sizes:
        s["queries"] = {n: q for n, q in s["queries"].items() if isinstance(q, dict)}
    header = "| query | " + " | ".join(f"{s['size']} ipckg | raw | ratio" for s in sizes) + " |"
    lines += [header, "|---|" + "---|---|---|" * len(sizes)]
    worst = {}
    for n in names:
        cells = []
        for s in sizes:
            q = s["queries"].get(n, {})
            if "ipckg" not in q:
                cells.append(f"{q.get('skipped', '–')} | – | –")
                continue
            a, b = median(q["ipckg"]), median(q["raw"])
            r = a / b if b else None
            # tiny queries: ratios of sub-millisecond timings are noise
            if r and (worst.get(s["size"]) is None or (r > worst[s["size"]][1] and b > 0.005)):
                worst[s["size"]] = (n, r)
            cells.append(f"{fmt(a)} | {fmt(b)} | {ratio(a, b)}")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    skipped = [n for n, q in sizes[0]["queries"].items() if "federated" in str(q.get("skipped"))]
    names = [n for n in sizes[0]["queries"] if n not in skipped]
    lines += ["", f"Skipped (federated): {', '.join(skipped)}.",
              "Worst ratio per size among queries taking over 5 ms raw: "
              + "; ".join(f"{k}: {n} {r:.2f}×" for k, (n, r) in worst.items()), ""]
    lines += ["Sum of the suite:", ""]
    for s in sizes:
        qs = [q for q in s["queries"].values() if "ipckg" in q]
        a, b = sum(median(q["ipckg"]) for q in qs), sum(median(q["raw"]) for q in qs)
        lines.append(f"- {s['size']}: ipckg {fmt(a)}, raw {fmt(b)}, ratio {ratio(a, b)}")

    lines += ["", "## Whole-graph validation (target at 1M: `ipckg check` within 2× of the fastest validator)", "",
              f"Shapes with SHACL-SPARQL constraints (`sh:sparql`): {len(sizes[0]['sparql_shapes'])} — "
              + ", ".join(x.rsplit('#', 1)[-1] for x in sizes[0]["sparql_shapes"]) + ". "
              "`core` = the same shapes with those constraints removed (every validator can run them).", "",
              "| size | shapes | ipckg validate_store | pyshacl direct | pyrudof | Jena shacl | fastest | "
              "ipckg / fastest | violations ipckg / pyshacl / pyrudof / Jena |",
              "|---|---|---|---|---|---|---|---|---|"]
    for s in sizes:
        for variant in ("full", "core"):
            sv = s["shacl"][variant]
            cell, times, viol = {}, {}, []
            for tool in ("ipckg", "pyshacl", "pyrudof", "jena"):
                runs = sv.get(tool, [])
                r0 = runs[0] if runs else {}
                if r0.get("skipped"):
                    cell[tool] = "not run"
                elif r0.get("timeout"):
                    cell[tool] = f"> {r0['timeout']:.0f} s (timeout)"
                elif r0.get("error"):
                    cell[tool] = "error"
                else:
                    t = median([r.get("wall") for r in runs]) if tool == "jena" else med(runs)
                    times[tool] = t
                    cell[tool] = f"{fmt(t)} ({fmt(max(r['rss_mib'] for r in runs), 'm')}, n={len(runs)})"
                viol.append(str(r0.get("violations", "–")) if tool != "jena" else
                            ("0" if r0.get("conforms") else "≥1" if r0 and not r0.get("error") else "–"))
            ref = {k: t for k, t in times.items() if k != "ipckg"}
            fastest = min(ref, key=ref.get) if ref else None
            lines.append(f"| {s['size']} | {variant} | {cell['ipckg']} | {cell['pyshacl']} | {cell['pyrudof']} | "
                         f"{cell['jena']} | {fastest or '–'} | "
                         f"**{ratio(times.get('ipckg'), ref.get(fastest)) if fastest else '–'}** | {' / '.join(viol)} |")
    # extrapolation of ipckg's pySHACL to sizes where it was not run
    for s in sizes:
        if s["shacl"]["full"]["ipckg"][0].get("skipped"):
            pts = [(t["generated"]["file_triples"], med(t["shacl"]["full"]["ipckg"])) for t in sizes
                   if not t["shacl"]["full"]["ipckg"][0].get("skipped")]
            rss = [(t["generated"]["file_triples"], max(r["rss_mib"] for r in t["shacl"]["full"]["ipckg"])) for t in sizes
                   if not t["shacl"]["full"]["ipckg"][0].get("skipped")]
            e, em = extrapolate(pts, s["generated"]["file_triples"]), extrapolate(rss, s["generated"]["file_triples"])
            lines += ["", f"**Extrapolation, not a measurement:** ipckg's whole-graph validation (pySHACL) did not run "
                      f"at {s['size']}; a power law through the measured sizes gives about **{fmt(e)}** and "
                      f"**{fmt(em, 'm')}** peak RSS at {s['generated']['file_triples']:,} triples."]
    lines += ["", "Breakdown of ipckg validate_store (median): store → rdflib copy / validation:", ""]
    for s in sizes:
        runs = s["shacl"]["full"]["ipckg"]
        if not runs[0].get("skipped"):
            lines.append(f"- {s['size']}: copy {fmt(med(runs, 'copy_seconds'))}, validation {fmt(med(runs, 'validate_seconds'))}")
    lines += ["", "## ipckg commands as processes (wall time, peak RSS; limit 4 GB at 1M)", "",
              "| size | command | wall | peak RSS | exit |", "|---|---|---|---|---|"]
    for s in sizes:
        for name, r in s["commands"].items():
            if isinstance(r, list):
                lines.append(f"| {s['size']} | `ipckg {name}` | {fmt(median([x['wall'] for x in r]))} (n={len(r)}) | "
                             f"{fmt(max(x['rss_mib'] for x in r), 'm')} | {r[0]['rc']} |")
            else:
                lines.append(f"| {s['size']} | `ipckg {name}` | {fmt(r['wall'])} | {fmt(r['rss_mib'], 'm')} | {r['rc']} |")
        for name, r in s["startup"].items():
            if "rss_mib" in r:
                lines.append(f"| {s['size']} | `ipckg {name}` ({r['tool']}, n={len(r['times'])}) | {fmt(r['median'])} | "
                             f"{fmt(r['rss_mib'], 'm')} | 0 |")
    lines += ["", "## `ipckg add` of the ~100-triple change (target at 1M: under 1 s)", "",
              "| size | validate_files (in process) | add_files --dry-run (in process) | `ipckg add --dry-run` process | conforms |",
              "|---|---|---|---|---|"]
    for s in sizes:
        a = s["add_inprocess"]
        p = s["commands"]["add --dry-run change-100.ttl"]
        lines.append(f"| {s['size']} | {fmt(median(a.get('validate_files', [])))} | "
                     f"{fmt(median(a.get('add_files_dry_run', [])))} | {fmt(median([x['wall'] for x in p]))} | "
                     f"{a.get('conforms')} |")
    lines += ["", "## Start-up", "", "| size | `ipckg query list` | `ipckg query run projects-by-country` | "
              "`python -c pass` |", "|---|---|---|---|"]
    for s in sizes:
        st = s["startup"]
        lines.append(f"| {s['size']} | {fmt(st['query list']['median'])} | "
                     f"{fmt(st['query run projects-by-country']['median'])} | {fmt(st['python -c pass']['median'])} |")
    lines += ["", "## Notes", ""] + [f"- {n}" for n in data.get("notes", [])]
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        print(json.dumps(WORKERS[sys.argv[2]](json.loads(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description="Benchmark ipckg against reference engines.")
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--runs", type=int, default=3, help="runs of expensive steps")
    parser.add_argument("--runs-cheap", type=int, default=5, help="runs of cheap steps")
    parser.add_argument("--cap", type=float, default=120.0, help="one run only when a run takes longer (s)")
    parser.add_argument("--timeout", type=float, default=600.0, help="give up on a reference validator after (s)")
    parser.add_argument("--skip-pyshacl-above", type=int, default=200_000,
                        help="do not run pySHACL (ipckg check, pyshacl direct) above this many triples")
    parser.add_argument("--pyshacl-direct-full-max", type=int, default=20_000,
                        help="run plain pyshacl on the full shapes only up to this many triples")
    parser.add_argument("--query-timeout", type=float, default=60.0, help="give up on one saved query after (s)")
    parser.add_argument("--load-timeout", type=float, default=300.0, help="give up on ipckg build_store after (s)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--report-only", type=Path, help="rewrite RESULTS.md from a runs/*.json file")
    parser.add_argument("--merge", type=Path, nargs="*", default=[], help="earlier runs/*.json whose sizes to include")
    args = parser.parse_args()
    if args.report_only:
        data = json.loads(args.report_only.read_text())
        (HERE / "RESULTS.md").write_text(report(data))
        return
    started = datetime.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    (HERE / "runs").mkdir(exist_ok=True)
    out = HERE / "runs" / f"{started}.json"
    data = {"started": started, "argv": " ".join(sys.argv[1:]), "json_name": out.name, "args": vars(args) | {
        "report_only": None, "merge": [str(m) for m in args.merge]}, "machine": machine(), "versions": versions(),
        "sizes": [], "notes": []}
    for m in args.merge:
        data["sizes"] += json.loads(m.read_text())["sizes"]
    for label in args.sizes.split(","):
        data["sizes"] = [s for s in data["sizes"] if s["size"] != label]
        data["sizes"].append(bench_size(label, SIZES[label], args))
        data["sizes"].sort(key=lambda s: SIZES[s["size"]])
        out.write_text(json.dumps(data, indent=1, default=str))
        (HERE / "RESULTS.md").write_text(report(data))
    print(f"wrote {out} and {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
