"""The graph on a remote SPARQL server: push it there, and add to it with validation.

`push` uploads the whole local graph (ontology, data and current view) with
the Graph Store Protocol and checks the server's triple count afterwards.
`add_remote` is the remote version of `curation.add_files`: it fetches the
part of the remote graph the new files touch, validates them in that context
and, only if they conform, writes them and the recomputed current view in a
single SPARQL update.

Blank nodes never reach the server: Virtuoso rejects them in INSERT DATA and
separate requests do not share blank-node scope, so they become skolem IRIs
under `endpoint.GENID` (quantity values, mostly).  Validation treats those
IRIs as it treats blank nodes (see `validation.change_context`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

from .curation import AddResult, added_target, refuse_empty
from .endpoint import Endpoint, skolem_names, skolemise
from .errors import EndpointError, UsageError
from .namespaces import XSD
from .project import Project
from .store import Progress, open_store
from .transaction import commit, writer_lock
from .terms import to_oxigraph
from .validation import IPC, NewAssertions, admit, change_context, load_ontology, load_shapes, validate_graph

_NUMERIC = {XSD + t for t in (
    "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}
_PRESENCE_BATCH = 100  # triples per "which of these does the server hold" query
# Virtuoso compiles an update to SQL and refuses one whose SQL would pass 10,000
# lines (about 1,300 triples of INSERT DATA) or whose text exhausts the parser.
_TOO_LARGE = re.compile(r"SP031.*length of generated SQL text|SP030.*memory exhausted", re.S)


@dataclass
class PushResult:
    sent: int
    """Triples uploaded (the local store's size)."""
    remote_count: int
    """Triples the server's graph holds after the upload."""
    before: int = 0
    """Triples it held before."""


def push(project: Project, endpoint: Endpoint, *, replace: bool = False, append: bool = False,
         chunk_size: int = 50_000, progress: Progress | None = None) -> PushResult:
    """Upload the local graph to the endpoint's graph, then check the server's triple count.

    Every triple of the store goes: ontology, data and the derived current
    view, blank nodes skolemised by content (`endpoint.skolem_names`), so a
    second push of the same graph adds nothing.  A graph that already holds
    triples is refused unless `replace` (it ends up holding exactly these
    triples) or `append` (they are added to what it holds).
    `progress(what, done, total)` is called as the store loads and after
    each chunk.

    The count check allows for one server habit: Virtuoso stores literals by
    value, so triples that differ only in the type of an equal number (2,
    2.0 and 2E0), its lexical form or the case of a language tag become one.
    """
    if replace and append:
        raise UsageError("--replace and --append contradict each other: give one.")
    before = endpoint.count_triples()  # a wrong URL or a server down fails now, before the store is read
    where = f"graph <{endpoint.graph}>" if endpoint.graph else "the default graph"
    if before and not (replace or append):
        raise UsageError(f"The {where} at {endpoint.url} already holds {before} triples. Push with --replace to make "
                         "it hold exactly the local graph, or --append to add the local graph to it. Nothing was sent.")
    store = open_store(project, progress)
    total = len(store)
    report = (lambda done: progress("Uploading", done, total)) if progress else None
    names = skolem_names(t for t in store.triples()
                         if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))
    sent = endpoint.upload(store.triples(), replace=replace, chunk_size=chunk_size, progress=report,
                           blank_node_names=names)
    remote = endpoint.count_triples()
    if remote == sent or (remote >= sent and not replace):
        return PushResult(sent, remote, before)
    distinct = len({_value_key(t) for t in store.triples()})  # only needed to explain a difference
    if replace and not distinct <= remote <= sent:
        expected = str(sent) if distinct == sent else f"between {distinct} and {sent}"
        raise EndpointError(
            f"The push to {endpoint.url} did not arrive whole: {sent} triples were sent to "
            f"replace {where}, but the server now counts {remote} (expected {expected}). Another client "
            "may have written to the graph at the same time, or the server dropped part of the upload; "
            "push again with --replace.")
    if not replace and remote < distinct:
        raise EndpointError(
            f"The push to {endpoint.url} did not arrive whole: {sent} triples were added to "
            f"{where}, but the server now counts only {remote}. The server dropped part of the upload; "
            "push again.")
    return PushResult(sent, remote, before)


def add_remote(project: Project, endpoint: Endpoint, files: Iterable[Path], *,
               dry_run: bool = False, engine: str = "sparql", fail_on: str = "Violation") -> AddResult:
    """Validate Turtle files in the context of the remote graph; if they conform, write them there.

    The context is fetched from the endpoint as `validation.change_context`
    fetches it from the store.  If the files conform and this is no dry run,
    one update request inserts their new triples (blank nodes skolemised)
    and replaces the current view of every claimed (subject, property) pair
    the change touches: old values no longer in the recomputed view are
    deleted, new ones inserted.  Nothing is written otherwise.  The files are
    then recorded in the local `data/added/` too, under the writer lock, so a
    later `push --replace` keeps them; `remote_counts` is what the server
    held before and after.
    """
    files = [Path(f) for f in files]
    with nullcontext() if dry_run else writer_lock(project.data_dir):
        return _add_remote(project, endpoint, files, dry_run, engine, fail_on)


def _add_remote(project: Project, endpoint: Endpoint, files: list[Path], dry_run: bool, engine: str,
                fail_on: str) -> AddResult:
    local = {added_target(project, f): f.read_bytes() for f in files}  # refused now if a name is taken
    before = endpoint.count_triples()
    new = NewAssertions.read(files)
    refuse_empty(new)
    ontology = load_ontology(project)
    refused = admit(new, ontology)
    context, focus = change_context(endpoint, project, new.graph, ontology)
    report = validate_graph(context, load_shapes(project), focus=focus, new=new, engine=engine, refused=refused)
    present = _present(endpoint, new.graph)
    fresh = Graph()
    for prefix, namespace in new.graph.namespaces():
        fresh.bind(prefix, namespace, override=False)
    for triple in new.graph:
        if triple not in present:
            fresh.add(triple)
    result = AddResult(report, fresh, len(present), fail_on=fail_on)
    if not result.accepted or dry_run:
        return result
    delete, insert = _view_change(endpoint, context, new.graph)
    insert = [*(_ox_triple(t) for t in fresh), *insert]
    if delete or insert:
        try:
            endpoint.update(_update_text(endpoint, delete, insert))
        except EndpointError as error:
            if not _TOO_LARGE.search(str(error)):
                raise
            raise EndpointError(
                f"{error} The update ({len(delete)} triples to delete, {len(insert)} to insert) is too "
                "large for this server to compile as one request, and it was refused whole: nothing "
                "was written. Split the files into smaller ones (Virtuoso takes about 1,000 triples "
                "per update) and add them one after the other.") from None
    result.remote_counts = (before, endpoint.count_triples())
    result.written = commit(project.data_dir, local)
    return result


# -- helpers ---------------------------------------------------------------


def _value_key(triple: ox.Triple) -> tuple:
    """What a server that stores literals by value keeps of a triple."""
    def key(term):
        if isinstance(term, ox.Literal):
            if term.datatype.value in _NUMERIC:
                try:
                    return ("number", Decimal(term.value))
                except InvalidOperation:
                    pass
            return ("literal", term.value, term.datatype.value, (term.language or "").lower())
        return (type(term).__name__, term.value)
    return key(triple.subject), key(triple.predicate), key(triple.object)


def _present(endpoint: Endpoint, graph: Graph) -> set[tuple]:
    """The triples of `graph` (without blank nodes) that the remote graph already holds.

    Asked in batches, each triple a numbered UNION branch, so the answer does
    not depend on how the server writes the terms back.  Not a VALUES table:
    Virtuoso 7.2.5 matches no language-tagged literal in a VALUES block of
    more than one row.
    """
    candidates = [t for t in graph if not any(isinstance(term, BNode) for term in t)]
    found: set[tuple] = set()
    for start in range(0, len(candidates), _PRESENCE_BATCH):
        batch = candidates[start:start + _PRESENCE_BATCH]
        branches = " UNION ".join(
            f"{{ {' '.join(str(to_oxigraph(term)) for term in triple)} BIND ({i} AS ?i) }}"
            for i, triple in enumerate(batch))
        for row in endpoint.query(f"SELECT DISTINCT ?i WHERE {{ {branches} }}"):  # type: ignore[union-attr]
            found.add(batch[int(row["i"].value)])
    return found


def _view_change(endpoint: Endpoint, context: Graph, new: Graph) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """Current-view triples to delete from and insert into the remote graph.

    The pairs are the (subject, property) of every claim the new data
    describes; their recomputed view is in `context`, their present view on
    the server.  Values compare by value (the server may write 1.50 as 1.5).
    """
    pairs = set()
    for claim in set(new.subjects()):
        if (claim, RDF.type, IPC.Claim) in context:
            subject, predicate = context.value(claim, RDF.subject), context.value(claim, RDF.predicate)
            if isinstance(subject, URIRef) and isinstance(predicate, URIRef):
                pairs.add((subject, predicate))
    if not pairs:
        return [], []
    wanted = {_value_key(t): t for t in (_ox_triple((s, p, o)) for s, p in pairs for o in context.objects(s, p))}
    values = " ".join(f"({to_oxigraph(s)} {to_oxigraph(p)})" for s, p in sorted(pairs))
    answer = endpoint.query(f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p) {{ {values} }} ?s ?p ?o }}")
    current = {_value_key(t): t for t in (ox.Triple(row["s"], row["p"], row["o"])
                                          for row in answer)}  # type: ignore[union-attr]
    delete = [t for key, t in current.items() if key not in wanted]
    insert = [t for key, t in wanted.items() if key not in current]
    ours = {str(node) for node in new.all_nodes() if isinstance(node, BNode)}
    stray = [t for t in delete if isinstance(t.object, ox.BlankNode)] + \
            [t for t in insert if isinstance(t.object, ox.BlankNode) and t.object.value not in ours]
    if stray:
        raise EndpointError(
            f"The graph at {endpoint.url} holds blank nodes in the current view of "
            f"{stray[0].subject} {stray[0].predicate}, which a SPARQL update cannot address, so the "
            "view cannot be updated there. Load the graph with 'ipckg push', which replaces blank "
            "nodes by IRIs, and add the files again.")
    return delete, insert


def _ox_triple(triple: tuple[Node, Node, Node]) -> ox.Triple:
    s, p, o = (to_oxigraph(term) for term in triple)
    return ox.Triple(s, p, o)


def _update_text(endpoint: Endpoint, delete: list[ox.Triple], insert: list[ox.Triple]) -> str:
    """DELETE DATA, then INSERT DATA, in one request; blank nodes skolemised consistently."""
    def block(triples: list[ox.Triple]) -> str:
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        return f"GRAPH <{endpoint.graph}> {{\n{body}\n}}" if endpoint.graph else body

    insert = list(skolemise(insert))
    parts = []
    if delete:
        parts.append(f"DELETE DATA {{\n{block(delete)}\n}}")
    if insert:
        parts.append(f"INSERT DATA {{\n{block(insert)}\n}}")
    return " ;\n".join(parts)
