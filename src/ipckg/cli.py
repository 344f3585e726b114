"""The `ipckg` command line: argument parsing, output and exit codes.

Exit codes: 0 success (or only warnings and infos), 1 violations or failed
checks (or warnings with --fail-on), 2 usage, input or connection errors,
3 shapes that cannot be run as written, 130 interrupted.  Every error is one
paragraph on stderr; the logic lives in the library modules.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import IpckgError, ShapeError, UsageError
from .project import Project

EXIT_OK, EXIT_FAILED, EXIT_ERROR, EXIT_SHAPES, EXIT_TIMEOUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
DEFAULT_TIMEOUT = 600.0
ANSWER_FORMATS = ("table", "markdown", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld")


class _Group(click.Group):
    """Turns library errors into one paragraph and exit code 2 (3 for shapes that cannot run).

    Ctrl-C exits 130, as shells expect, not click's 1, which here means violations.
    """

    def add_command(self, cmd, name=None):
        """Every command gets --timeout: queries, builds and remote calls all run under one deadline."""
        if not isinstance(cmd, click.Group):
            cmd.params.append(click.Option(
                ["--timeout"], type=click.FloatRange(min=0), metavar="SECONDS", envvar="IPCKG_TIMEOUT",
                default=DEFAULT_TIMEOUT, show_default=True, expose_value=False, is_eager=True,
                callback=lambda ctx, param, value: _deadline.update(seconds=value),
                help="Stop the command after this long, whatever it waits for (0: no deadline). Also IPCKG_TIMEOUT."))
        super().add_command(cmd, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except IpckgError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(EXIT_SHAPES if isinstance(error, ShapeError) else EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)


class _Notices(logging.Handler):
    """The library's warnings (a damaged cache being rebuilt, say) as one line each on stderr."""

    def emit(self, record):
        click.echo(f"Notice: {record.getMessage()}", err=True)  # stderr as it is now: CliRunner's too


def _show_notices() -> None:
    notices = logging.getLogger("ipckg")
    if not any(isinstance(h, _Notices) for h in notices.handlers):
        notices.addHandler(_Notices())
        notices.setLevel(logging.WARNING)


def _project(ctx: click.Context) -> Project:
    root = ctx.find_root().params.get("project")
    return Project.find(root) if root is None else _explicit_project(root)


def _explicit_project(root: Path) -> Project:
    if not ((root / "ontology").is_dir() and (root / "data").is_dir()):
        raise UsageError(f"{root} is not an ipckg project: it needs 'ontology/' and 'data/' folders.")
    return Project(root.resolve())


def _progress():
    """A progress bar on a terminal, nothing when output is piped."""
    if not sys.stderr.isatty():
        return None
    bars: dict[str, click.progressbar] = {}

    def report(what: str, done: int, total: int) -> None:
        bar = bars.get(what)
        if bar is None:
            bar = bars[what] = click.progressbar(length=total, label=what, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)
        if done >= total:
            bar.__exit__(None, None, None)

    return report


def _graph(ctx: click.Context, endpoint: str | None, graph: str | None):
    """The graph a command reads: the embedded store, or a remote SPARQL endpoint."""
    if endpoint:
        from .endpoint import Endpoint
        from .namespaces import DEFAULT_GRAPH

        return Endpoint(endpoint, graph=graph or DEFAULT_GRAPH)
    if graph:
        raise UsageError("--graph names a graph on a remote server: use it with --endpoint URL.")
    from .store import open_store

    return open_store(_project(ctx), _progress())


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        text = data.decode("utf-8")
        click.echo(text, nl=not text.endswith("\n"))
        return
    from .transaction import replace_file

    replace_file(output, data)


_endpoint_options = [
    click.option("--endpoint", metavar="URL", help="Run against this SPARQL 1.1 endpoint instead of the embedded store."),
    click.option("--graph", metavar="IRI", help="With --endpoint: the named graph to use (default https://w3id.org/ipckg/graph)."),
]
_engine_option = click.option(
    "--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
    help="SHACL engine: the shapes compiled to SPARQL (fast), or pySHACL (the reference).")
_fail_on_option = click.option(
    "--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True,
    help="The least severe result that fails (exit 1; add and link apply write nothing).")
def _outside_the_project(ctx: click.Context, param, output: Path | None) -> Path | None:
    """An answer written over data/entities.ttl would break every later command: keep output out."""
    if output is None:
        return None
    project = _project(ctx)
    target = output.resolve()
    for folder in (project.ontology_dir, project.data_dir, project.shapes_dir, project.queries_dir):
        if target.is_relative_to(folder.resolve()):
            raise UsageError(f"{output} is inside the project's {folder.name}/ folder, which holds the graph and its "
                             "schema and queries; write the output elsewhere. Nothing was written.")
    return output


_output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                              callback=_outside_the_project, help="Write to this file instead of standard output.")


DEFAULT_PAGE = 100

_page_options = [
    click.option("--limit", type=click.IntRange(min=0), metavar="N",
                 help=f"Show at most N rows (0: all). Default: all, or {DEFAULT_PAGE} in a table on a terminal."),
    click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N", help="Skip the first N rows."),
]


def _with(options):
    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), envvar="IPCKG_PROJECT",
              help="The project folder (with ontology/ and data/); default: found from the current folder upwards.")
@click.version_option(__version__, prog_name="ipckg")
def cli(project):
    """Query, validate and curate the ipckg knowledge graph."""
    # rdflib logs a traceback for every ill-typed literal it parses; validation
    # reports each one as a violation with its file and line instead.
    if not os.environ.get("IPCKG_DEBUG"):
        logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    _show_notices()


# ------------------------------------------------------------------ queries

@cli.group(cls=_Group)
def query():
    """Saved SPARQL queries: list, show and run them."""


@query.command("list")
@click.pass_context
def query_list(ctx):
    """Every saved query: name, title and parameters."""
    from .queries import saved_queries

    for saved in saved_queries(_project(ctx)):
        parameters = " ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in saved.parameters)
        click.echo(f"{saved.name:32} {saved.title}" + (f"  [{parameters}]" if parameters else ""))


@query.command("show")
@click.argument("name")
@click.pass_context
def query_show(ctx, name):
    """A saved query's header and SPARQL."""
    from .queries import find_query

    click.echo(find_query(_project(ctx), name).sparql, nl=False)


@query.command("run")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter value; repeat for more.")
@click.option("-f", "--format", "fmt", type=click.Choice(ANSWER_FORMATS),
              help="Output format (default: table on a terminal, csv otherwise; turtle for graphs).")
@_output_option
@_with(_page_options)
@_with(_endpoint_options)
@click.pass_context
def query_run(ctx, name, params, fmt, output, limit, offset, endpoint, graph):
    """Run a saved query."""
    from .queries import find_query

    saved = find_query(_project(ctx), name)
    bindings = saved.bind(_parse_params(params))
    _answer(_graph(ctx, endpoint, graph).query(saved.sparql, bindings), fmt, output, limit, offset)


@cli.command()
@click.argument("text")
@click.option("-f", "--format", "fmt", type=click.Choice(ANSWER_FORMATS),
              help="Output format (default: table on a terminal, csv otherwise; turtle for graphs).")
@_output_option
@_with(_page_options)
@_with(_endpoint_options)
@click.pass_context
def sparql(ctx, text, fmt, output, limit, offset, endpoint, graph):
    """Run an ad-hoc SPARQL query: its TEXT, or @FILE.rq.

    The project's prefixes (ipc:, country:, project:, rdfs:, skos: ...) need no declaration.
    """
    from .namespaces import PREFIXES

    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"Cannot read the query file {text[1:]}: {error.strerror}.") from None
    _answer(_graph(ctx, endpoint, graph).query(text, prefixes=PREFIXES), fmt, output, limit, offset)


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    from .queries import shown

    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"Parameter {shown(item)} is not KEY=VALUE.")
        key = key.strip()
        if key in values:
            raise UsageError(f"Parameter '{key}' is given twice ({shown(values[key])} and {shown(value)}); "
                             "a query parameter takes one value.")
        values[key] = value
    return values


def _answer(result, fmt: str | None, output: Path | None, limit: int | None = None, offset: int = 0) -> None:
    from .results import default_format, page, render

    fmt = fmt or default_format(result, output is None and sys.stdout.isatty())
    if limit is None and fmt == "table" and output is None and sys.stdout.isatty():
        limit = DEFAULT_PAGE  # a person reads a page, not 95,000 rows
    shown, more = page(result, limit or None, offset)
    _write(render(shown, fmt), output)
    if more:
        click.echo(f"More rows follow: --offset {offset + limit} for the next {limit}, --limit 0 for all.", err=True)


# --------------------------------------------------------------- curation

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="Report format.")
@_engine_option
@_fail_on_option
@click.pass_context
def validate(ctx, files, fmt, engine, fail_on):
    """Validate new assertions against the shapes, in the context of the graph."""
    from .store import open_store
    from .validation import validate_files

    project = _project(ctx)
    report, _ = validate_files(open_store(project, _progress()), project, files, engine=engine)
    _print_report(report, fmt)
    ctx.exit(EXIT_FAILED if report.fails(fail_on.capitalize()) else EXIT_OK)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show what would be added; write nothing.")
@_with(_endpoint_options)
@_engine_option
@_fail_on_option
@click.pass_context
def add(ctx, files, dry_run, endpoint, graph, engine, fail_on):
    """Validate new assertions and, only if they conform, add them to data/."""
    project = _project(ctx)
    if endpoint:
        from .remote import add_remote

        result = add_remote(project, _graph(ctx, endpoint, graph), list(files), dry_run=dry_run, engine=engine,
                            fail_on=fail_on.capitalize())
    else:
        from .curation import add_files

        result = add_files(project, list(files), dry_run=dry_run, engine=engine, fail_on=fail_on.capitalize(),
                           progress=_progress())
    if not result.accepted:
        _print_report(result.report, "text", err=True)
        click.echo("Rejected: nothing was added.", err=True)
        ctx.exit(EXIT_FAILED)
    if result.report.results:
        _print_report(result.report, "text", err=True)
    count = len(result.new_triples)
    if dry_run:
        click.echo(f"Would add {count} new triple(s) ({result.already_present} already in the graph):")
        click.echo(result.new_triples.serialize(format="turtle"), nl=False)
        return
    written = ", ".join(str(p) for p in result.written)
    if result.remote_counts:
        before, after = result.remote_counts
        click.echo(f"Added {count} new triple(s) ({result.already_present} already in the graph) to {endpoint}: "
                   f"the remote graph held {before} triples before and holds {after} now. Recorded locally in "
                   f"{written}, so a later push --replace keeps them.")
    else:
        click.echo(f"Added {count} new triple(s) ({result.already_present} already in the graph) to {written}.")


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_with(_endpoint_options)
@_engine_option
@_fail_on_option
@click.pass_context
def check(ctx, fmt, endpoint, graph, engine, fail_on):
    """The whole quality suite: SHACL over the whole graph and every query in queries/checks/."""
    from .quality import run_quality_checks

    project = _project(ctx)
    progress = _progress()
    source = _graph(ctx, endpoint, graph)
    held = source.count_triples() if endpoint else None  # what the server really holds, said below
    outcome = run_quality_checks(project, source, engine,
                                 progress and (lambda done, total: progress("Validating", done, total)),
                                 fail_on=fail_on.capitalize())
    if fmt == "json":
        click.echo(json.dumps({"conforms": outcome.report.conforms, "passed": outcome.passed,
                               **({"remote_triples": held} if endpoint else {}),
                               "shacl": json.loads(outcome.report.to_json()),
                               "failed_checks": {name: rows for name, rows in outcome.failed.items()}},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(outcome.report.to_text(), nl=False)
        for saved in outcome.checks:
            rows = outcome.failed.get(saved.name)
            click.echo(f"{'FAIL' if rows else 'ok  '}  {saved.name}: {saved.title}"
                       + (f" ({len(rows)} row{'s' if len(rows) != 1 else ''})" if rows else ""))
            for row in rows or []:
                click.echo("        " + "  ".join(row))
        if endpoint:
            click.echo(f"Checked the {held} triples that the graph <{source.graph}> at {endpoint} holds.")
        click.echo("All checks passed." if outcome.passed else "Quality checks failed.")
    ctx.exit(EXIT_OK if outcome.passed else EXIT_FAILED)


def _print_report(report, fmt: str, err: bool = False) -> None:
    text = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}[fmt]()
    click.echo(text, nl=False, err=err)


# ------------------------------------------------------------ graph-wide

@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["turtle", "ntriples", "jsonld", "trig", "nquads"]),
              default="turtle", show_default=True,
              help="trig and nquads keep the derived view in its named graph, apart from the asserted triples.")
@_output_option
@_with(_endpoint_options)
@click.pass_context
def export(ctx, fmt, output, endpoint, graph):
    """The whole graph (ontology, data and current view) as RDF."""
    from .results import DATASET_FORMATS, serialize_dataset, serialize_graph

    source = _graph(ctx, endpoint, graph)
    if fmt in DATASET_FORMATS:
        if endpoint:
            raise UsageError(f"-f {fmt} exports the embedded store's named graphs; a remote graph is one graph: "
                             "use -f turtle, ntriples or jsonld with --endpoint.")
        _write(serialize_dataset(source.quads(), fmt), output)
    else:
        _write(serialize_graph(source.triples(), fmt), output)


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_with(_endpoint_options)
@click.pass_context
def stats(ctx, fmt, endpoint, graph):
    """Triples, entities per class, claims per source, links per target."""
    from .namespaces import shorten
    from .stats import graph_stats

    figures = graph_stats(_graph(ctx, endpoint, graph))
    if fmt == "json":
        click.echo(json.dumps(figures.as_dict(), indent=2))
        return
    click.echo(f"Triples: {figures.triples}")
    for title, pairs in (("Entities per class", figures.entities_per_class),
                         ("Claims per source", figures.claims_per_source),
                         ("Links per target", figures.links_per_target)):
        click.echo(f"\n{title}:")
        for name, count in pairs:
            click.echo(f"  {count:6}  {shorten(name)}")
        if not pairs:
            click.echo("  none")


# ---------------------------------------------------------------- linking

@cli.group(cls=_Group, invoke_without_command=True)
@click.option("--target", type=click.Choice(["wikidata", "dbpedia", "geonames"]), default="wikidata",
              show_default=True, help="Linked-data source to find matches in.")
@click.option("--type", "type_iri", metavar="CLASS", help="Only entities of this class, such as ipc:City.")
@click.option("--endpoint", metavar="URL", help="The target's SPARQL endpoint (default: its public one).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Review file to write (default: links-TARGET.sssom.tsv in the current folder).")
@click.pass_context
def link(ctx, target, type_iri, endpoint, output):
    """Propose links to Wikidata, DBpedia or GeoNames for entities that have none.

    Writes an SSSOM review file; accept or reject its rows, then run 'ipckg link apply FILE'.
    """
    if ctx.invoked_subcommand:
        return
    from .endpoint import Endpoint
    from .linking import find_candidates, get_target, write_review
    from .store import open_store

    project = _project(ctx)
    url = endpoint or get_target(target).endpoint
    candidates = find_candidates(open_store(project, _progress()), project, target=target,
                                 endpoint=Endpoint(url) if url else None, type_iri=type_iri, progress=_progress())
    output = output or Path(f"links-{target}.sssom.tsv")
    write_review(candidates, output, endpoint_url=url)
    entities = len({c.entity for c in candidates})
    click.echo(f"Wrote {len(candidates)} candidate(s) for {entities} entit{'y' if entities == 1 else 'ies'} to {output}.")
    click.echo(f"Review it (mapping_justification semapv:MappingReview to accept, predicate_modifier Not to reject), "
               f"then run: ipckg link apply {output}")


@link.command("apply")
@click.argument("review", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--accept-above", type=float, metavar="SCORE",
              help="Also accept undecided rows scoring at least SCORE (0-1) when they are their entity's only such row.")
@click.pass_context
def link_apply(ctx, review, accept_above):
    """Add the accepted links of a review file to data/, after validating them; remember the rejected."""
    from .linking import apply_review

    project = _project(ctx)
    result = apply_review(project, review, accept_above=accept_above, progress=_progress())
    if not result.conforms:
        _print_report(result.report, "text", err=True)
        click.echo("Rejected: the accepted links do not conform; nothing was written.", err=True)
        ctx.exit(EXIT_FAILED)
    click.echo(f"{len(result.accepted)} link(s) accepted, {len(result.rejected)} rejected, "
               f"{len(result.undecided)} undecided, {len(result.ambiguous)} ambiguous, {len(result.skipped)} skipped.")
    for path in result.written:
        click.echo(f"Wrote {path}")


# ----------------------------------------------------------------- remote

@cli.command()
@click.option("--endpoint", metavar="URL", required=True, help="SPARQL 1.1 endpoint of the server.")
@click.option("--graph", metavar="IRI", help="Named graph to upload into (default https://w3id.org/ipckg/graph).")
@click.option("--replace", is_flag=True, help="Make the remote graph hold exactly the local graph.")
@click.option("--append", is_flag=True, help="Add the local graph to what the remote graph holds.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per upload request.")
@click.pass_context
def push(ctx, endpoint, graph, replace, append, chunk_size):
    """Upload the graph to a SPARQL server (Graph Store Protocol, in chunks) and verify the count.

    A remote graph that already holds triples needs --replace or --append.
    """
    from .remote import push as push_graph

    project = _project(ctx)
    result = push_graph(project, _graph(ctx, endpoint, graph), replace=replace, append=append,
                        chunk_size=chunk_size, progress=_progress())
    click.echo(f"Uploaded {result.sent} triples; the remote graph held {result.before} before and holds "
               f"{result.remote_count} now ({result.remote_count - result.before:+d}).")


_deadline = {"seconds": DEFAULT_TIMEOUT}


def main() -> None:
    """Entry point: the command runs in a worker thread while this one keeps the deadline and Ctrl-C.

    Oxigraph evaluates a query, and a socket waits for a server, without
    returning to Python, so neither a signal handler nor a timer in the
    command's own thread could stop them; this thread stays free to.  No
    traceback reaches the user unless IPCKG_DEBUG is set.
    """
    started = time.monotonic()
    outcome: list[int] = []
    worker = threading.Thread(target=_run, args=(outcome,), name="ipckg-command", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
            limit = _deadline["seconds"]
            if limit and worker.is_alive() and time.monotonic() - started > limit:
                _stop(EXIT_TIMEOUT, f"Error: the command did not finish within its deadline of {limit:g} s and "
                                    "was stopped. Give it longer with --timeout SECONDS (0: no deadline).")
    except KeyboardInterrupt:
        _stop(EXIT_INTERRUPTED, "Interrupted.")
    sys.exit(outcome[0] if outcome else EXIT_ERROR)


def _run(outcome: list[int]) -> None:
    try:
        cli.main(prog_name="ipckg", standalone_mode=True)
        outcome.append(EXIT_OK)
    except SystemExit as done:
        outcome.append(done.code if isinstance(done.code, int) else EXIT_ERROR if done.code else EXIT_OK)
    except Exception as error:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("IPCKG_DEBUG"):
            traceback.print_exc()
        click.echo(f"Error: ipckg failed unexpectedly ({type(error).__name__}: {error}). "
                   "Run again with IPCKG_DEBUG=1 for details, and please report it.", err=True)
        outcome.append(EXIT_ERROR)


def _stop(code: int, message: str) -> None:
    """Leave now, the worker still running: a change it was writing is finished or undone by the next command."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    click.echo(message, err=True)
    sys.stderr.flush()
    os._exit(code)
