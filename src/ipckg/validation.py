"""SHACL validation of the graph, and of new assertions in the graph's context.

Validation runs pySHACL on plain rdflib graphs (pySHACL over the oxrdflib
store gave wrong results).  New files are validated *in context*: with the
ontology, the existing descriptions of every node they touch, the claims
about those nodes and the types of their neighbours, and the current view
recomputed for the claimed properties.  Results are kept for the nodes whose
validation the change can affect, so a 100-triple file is checked in well
under a second in a graph of a million triples, and reports what
whole-graph validation would report about the change.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import BASE, VIEW_GRAPH, XSD_STRING, shorten
from .project import Project
from .report import Report, ValidationResult
from .admission import Refusal, refusals, remove_schema_triples
from .errors import ShapeError
from .shape_compiler import ConstraintQuery, compile_shapes, preferred_message, refuse_forbidden_sparql, run_queries
from .store import GraphStore, current_view_rule
from .terms import IPC, SH, to_oxigraph, to_rdflib, triples_to_graph
from .turtle import read_turtle

if TYPE_CHECKING:
    from .endpoint import Endpoint

DCTERMS_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")
_LINK_PREFIXES = {"wd", "wdt", "dbr", "gn"}
_IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"]+?(?=[.,:;)]?(?:\s|$))")
# Skolem IRIs stand for blank nodes on a server (endpoint.GENID, not imported
# here to keep SPARQLWrapper out of local validation): a graph pushed by ipckg
# holds its quantity values under this namespace instead of as blank nodes.
GENID = BASE + ".well-known/genid/"
_OX_LABEL = ox.NamedNode(str(RDFS.label))


_STRING = URIRef(XSD_STRING)


def _plain(node: Node) -> Node:
    """RDF 1.1 makes "x" and "x"^^xsd:string one literal; rdflib keeps them apart."""
    return Literal(str(node)) if isinstance(node, Literal) and node.datatype == _STRING else node


def _is_anonymous(node: Node) -> bool:
    """A blank node, or the skolem IRI that replaced one on a server."""
    return isinstance(node, BNode) or (isinstance(node, URIRef) and str(node).startswith(GENID))


@dataclass
class NewAssertions:
    """Triples read from files, with the file and line each came from."""

    graph: Graph
    origin: dict[tuple, tuple[str, int]]
    triples_per_file: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, files: Iterable[Path]) -> "NewAssertions":
        graph, origin, counts = Graph(), {}, {}
        for file in files:
            parsed, lines = read_turtle(file)
            counts[str(file)] = len(parsed)
            for prefix, namespace in parsed.namespaces():
                graph.bind(prefix, namespace, override=False)
            graph += parsed
            for triple, line in lines.items():
                origin.setdefault(triple, (str(file), line))
        return cls(graph, origin, counts)

    def locate(self, focus: Node, path: Node | None, value: Node | None) -> tuple[str, int] | tuple[None, None]:
        """The line of the offending triple, else of the claim that put it in the current view,
        else of the focus node's first triple."""
        if path is not None and value is not None and (focus, path, value) in self.origin:
            return self.origin[(focus, path, value)]
        if value is not None:
            value = _plain(value)
            stated = [where for (s, _, o), where in self.origin.items() if s == focus and _plain(o) == value]
            claims = set(self.graph.subjects(RDF.subject, focus)) & set(self.graph.subjects(RDF.object, value))
            stated += [self.origin[(c, RDF.object, value)] for c in claims if (c, RDF.object, value) in self.origin]
            if stated:
                return min(stated, key=lambda w: w[1])
        candidates = [where for (s, p, _), where in self.origin.items()
                      if s == focus and (path is None or p == path)]
        candidates = candidates or [where for (s, _, _), where in self.origin.items() if s == focus]
        if not candidates and isinstance(focus, BNode):
            candidates = [where for (_, _, o), where in self.origin.items() if o == focus]
        return min(candidates, key=lambda w: w[1]) if candidates else (None, None)


_PREPARED: dict[tuple, object] = {}


@contextmanager
def _sparql_parsed_once():
    """Parse each SPARQL text once while pySHACL runs.

    pySHACL runs every SHACL-SPARQL constraint once per focus node with the
    same text, and rdflib re-parses the text each time (about 25 ms): without
    this, validating the bundled graph took 20 s instead of under 2 s.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    prepared = _PREPARED

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.prepareQuery(strOrQuery, initNs=initNs or {}, base=base)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs or {}, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def load_shapes(project: Project) -> Graph:
    shapes = Graph()
    for file in project.shape_files():
        shapes += read_turtle(file)[0]
    return shapes


def load_ontology(project: Project) -> Graph:
    ontology = Graph()
    for file in project.ontology_files():
        ontology += read_turtle(file)[0]
    return ontology


Progress = Callable[[int, int], None]


def validate_graph(data: Graph, shapes: Graph, *, focus: set[Node] | None = None,
                   new: NewAssertions | None = None, engine: str = "sparql",
                   refused: Iterable[Refusal] = ()) -> Report:
    """Run the shapes over a data graph (which must include the ontology).

    The SPARQL engine hands pySHACL the shapes it cannot compile, and the
    whole graph when the store would rewrite one of its literals (Oxigraph
    stores "5"^^xsd:int as an xsd:integer), so that values are judged as
    written.  Both choices are made before anything runs.  The admission's
    refusals of the new assertions (`admission.refusals`) join the report.
    """
    refuse_forbidden_sparql(shapes)
    admitted = [_Finding(r.subject, r.predicate, r.object, SH.Violation, r.rule, r.rule, Literal(r.message))
                for r in refused]
    if engine == "pyshacl" or _store_rewrites_a_literal(data):
        return _report(_pyshacl_findings(data, shapes), shapes, focus, new, lambda node: _graph_label(data, node),
                       admitted)
    database = ox.Store()
    database.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data)
    return _validate_with_plan(database, shapes, lambda: data, focus, new, admitted=admitted)


def validate_store(store: GraphStore | Endpoint, project: Project, *, engine: str = "sparql",
                   progress: Progress | None = None) -> Report:
    """Whole-graph validation of everything in the store (or in a remote endpoint's graph)."""
    shapes = load_shapes(project)
    refuse_forbidden_sparql(shapes)
    if engine == "pyshacl":
        data = triples_to_graph(store.triples())
        return _report(_pyshacl_findings(data, shapes), shapes, None, None, lambda node: _graph_label(data, node))
    if isinstance(store, GraphStore):
        database = store.database
    else:
        database = ox.Store()
        database.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in store.triples())
    return _validate_with_plan(database, shapes, lambda: triples_to_graph(store.triples()), progress=progress)


def validate_files(store: GraphStore | Endpoint, project: Project, files: Iterable[Path], *,
                   engine: str = "sparql") -> tuple[Report, NewAssertions]:
    """Validate new assertions in the context of the graph, as if they had been added.

    The graph is the embedded store or a remote endpoint: either answers the
    context queries of `change_context` the same way.
    """
    new = NewAssertions.read(files)
    ontology = load_ontology(project)
    refused = admit(new, ontology)
    data, focus = change_context(store, project, new.graph, ontology)
    return validate_graph(data, load_shapes(project), focus=focus, new=new, engine=engine, refused=refused), new


def admit(new: NewAssertions, ontology: Graph) -> list[Refusal]:
    """What the admission refuses in the new assertions; their schema triples are taken out of them."""
    refused = refusals(new.graph, ontology)
    remove_schema_triples(new.graph, refused)
    return refused


@dataclass(frozen=True)
class _Finding:
    """One validation result as either engine found it, before it is reported."""

    focus: Node
    path: Node | None
    value: Node | None
    severity: URIRef
    component: URIRef | None
    shape: Node | None
    message: Literal | None


def _validate_with_plan(database: ox.Store, shapes: Graph, data: Callable[[], Graph],
                        focus: set[Node] | None = None, new: NewAssertions | None = None,
                        progress: Progress | None = None, admitted: list[_Finding] = ()) -> Report:
    """The compiled queries on the store, and pySHACL for the shapes they leave over."""
    plan = compile_shapes(shapes)
    findings = [_Finding(to_rdflib(v.focus), v.query.path, None if v.value is None else to_rdflib(v.value),
                         v.query.severity, v.component, v.query.shape,
                         Literal(v.message) if v.message else _default_message(v.query, v.component))
                for v in run_queries(database, plan.queries, progress)]
    if plan.fallback:
        findings += _pyshacl_findings(data(), _only(shapes, set(plan.fallback)))
    return _report(findings, shapes, focus, new, lambda node: _store_label(database, to_oxigraph(node)), admitted)


def _only(shapes: Graph, kept: set[Node]) -> Graph:
    """The shapes graph with every other shape untargeted: still there for sh:node, but never run itself."""
    subset = Graph()
    subset += shapes
    for shape in _targeted_shapes(shapes) - kept:
        for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            subset.remove((shape, target, None))
        for kind in (RDFS.Class, OWL.Class):
            subset.remove((shape, RDF.type, kind))
    return subset


def _targeted_shapes(shapes: Graph) -> set[Node]:
    targeted = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                for s in shapes.subjects(p, None)}
    return targeted | {s for s in shapes.subjects(RDF.type, SH.NodeShape)
                       if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes}


def _pyshacl_findings(data: Graph, shapes: Graph) -> list[_Finding]:
    import pyshacl  # heavy: only paid where pySHACL runs
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    try:
        with _sparql_parsed_once():
            _, results, _ = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", advanced=True,
                allow_warnings=True, allow_infos=True, abort_on_first=False)
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError, NotImplementedError) as error:
        raise ShapeError(f"The shapes cannot be run: {_first_line(error)}") from None
    if not isinstance(results, Graph):  # pySHACL's ValidationFailure: it refused the shapes
        raise ShapeError(f"The shapes cannot be run: {_first_line(results)}")
    return [_Finding(results.value(node, SH.focusNode), results.value(node, SH.resultPath),
                     results.value(node, SH.value), results.value(node, SH.resultSeverity),
                     results.value(node, SH.sourceConstraintComponent), results.value(node, SH.sourceShape),
                     results.value(node, SH.resultMessage))
            for node in results.objects(None, SH.result)]


def _first_line(error: object) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return (text.splitlines() or ["unknown error"])[0]


def _store_rewrites_a_literal(data: Graph) -> bool:
    """Whether Oxigraph would store some typed literal of the data other than as written.

    It keeps the canonical form of numbers ("4.0" becomes "4"), maps derived
    integer types to xsd:integer, and so on (oxigraph issue 526).
    """
    # Not deduplicated first: rdflib makes an ill-typed literal equal to a
    # well-typed one it normalised to ("none"^^xsd:boolean to "false"), and a
    # set would keep either.
    literals = [o for o in data.objects() if isinstance(o, Literal) and o.datatype is not None]
    if any(literal.ill_typed for literal in literals):
        return True
    literals = list(set(literals))
    probe = ox.Store()
    written = [to_oxigraph(literal) for literal in literals]
    probe.extend(ox.Quad(ox.NamedNode(f"urn:literal:{i}"), _OX_LABEL, term) for i, term in enumerate(written))
    return any(quad.object != written[int(quad.subject.value.rsplit(":", 1)[1])] for quad in probe)


def _report(findings: list[_Finding], shapes: Graph, focus: set[Node] | None, new: NewAssertions | None,
            label: Callable[[Node], str | None], admitted: Iterable[_Finding] = ()) -> Report:
    """The report of the findings about the focus nodes (all if None) and of the admission's refusals:
    results and the W3C report graph."""
    kept = [f for f in findings if focus is None or f.focus in focus] + list(admitted)
    results = [_result(f, shapes, label(f.focus), new) for f in kept]
    return Report(sorted(results, key=ValidationResult.sort_key), _report_graph(kept, shapes))


def _result(finding: _Finding, shapes: Graph, label: str | None, new: NewAssertions | None) -> ValidationResult:
    """One result as both engines report it: IRIs in messages shortened, the line of the new file found."""
    file, line = new.locate(finding.focus, finding.path, finding.value) if new else (None, None)
    return ValidationResult(
        focus=_node_id(finding.focus), focus_label=label,
        severity=str(finding.severity).rsplit("#", 1)[-1],
        message=_IRI_IN_TEXT.sub(_shorten_vocabulary, str(finding.message or "Constraint not met.")),
        path=_node_id(finding.path) if isinstance(finding.path, URIRef) else None,
        value=_node_id(finding.value) if finding.value is not None else None,
        shape=_shape_name(shapes, finding.shape), file=file, line=line)


def _default_message(query: ConstraintQuery, component: URIRef) -> Literal:
    """The shape's own message (with its language), else the constraint it broke."""
    if query.messages:
        return preferred_message(query.messages)
    return Literal(f"Does not meet {shorten(str(component))}.")


def _report_graph(findings: list[_Finding], shapes: Graph) -> Graph:
    """The W3C SHACL validation report: conforming only without any result, whatever its severity."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not findings)))
    for finding in findings:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        for predicate, term in ((SH.focusNode, finding.focus), (SH.resultSeverity, finding.severity),
                                (SH.sourceConstraintComponent, finding.component),
                                (SH.resultMessage, finding.message), (SH.value, finding.value),
                                (SH.sourceShape, finding.shape), (SH.resultPath, finding.path)):
            if term is not None:
                graph.add((node, predicate, term))
                if isinstance(term, BNode) and predicate in (SH.sourceShape, SH.resultPath):
                    graph += shapes.cbd(term)
    return graph


def change_context(store: GraphStore | Endpoint, project: Project, new: Graph,
                   ontology: Graph | None = None) -> tuple[Graph, set[Node]]:
    """The graph the change must be validated in, and the nodes whose results it can change.

    A given ontology graph (already read by the caller) becomes the context.

    Quantity values are blank nodes in the store and skolem IRIs (GENID) on a
    server: both are described with the node that holds them.
    """
    touched = {term for s, _, o in new for term in (s, o) if isinstance(term, URIRef)}
    touched |= {s for s in new.subjects() if isinstance(s, URIRef)}
    context = load_ontology(project) if ontology is None else ontology
    # Nodes sharing an identifier (an ISO code) with the new data are validated too:
    # a duplicate code is a violation on both countries.
    for predicate, literal in {(p, o) for _, p, o in new if isinstance(o, Literal)}:
        if (predicate, RDFS.subPropertyOf, DCTERMS_IDENTIFIER) in context:
            touched |= {URIRef(row["other"].value) for row in store.query(
                f"SELECT DISTINCT ?other WHERE {{ ?other {to_oxigraph(predicate)} {to_oxigraph(literal)} }}")
                if isinstance(row["other"], ox.NamedNode)}
    if touched:
        values = " ".join(str(to_oxigraph(node)) for node in sorted(touched))
        claims = {c for row in store.query(
            f"SELECT DISTINCT ?claim WHERE {{ VALUES ?node {{ {values} }} ?claim <{RDF.subject}> ?node }}")
            for c in [row["claim"]]}
        described = values + " " + " ".join(str(c) for c in claims)
        triples_to_graph(store.query(_DESCRIBE.format(nodes=described)), context)
    context += new
    _refresh_current_view(context, project)
    focus: set[Node] = set(touched) | set(new.subjects())
    focus |= set(context.subjects(RDF.subject, None)) & {c for c in context.subjects(RDF.type, IPC.Claim)}
    focus |= {o for s in list(focus) for o in context.objects(s, None) if _is_anonymous(o)}
    return context, focus


# Each touched node and claim: its own triples, the blank nodes (or their
# skolem IRIs) it holds, and the types and labels of the nodes it points to.
_DESCRIBE = """
CONSTRUCT {{ ?node ?p ?o . ?o ?p2 ?o2 . ?o a ?type . ?o <http://www.w3.org/2000/01/rdf-schema#label> ?label . }}
WHERE {{
  VALUES ?node {{ {nodes} }}
  ?node ?p ?o .
  OPTIONAL {{ FILTER (isBlank(?o) || (isIRI(?o) && STRSTARTS(STR(?o), "%s"))) ?o ?p2 ?o2 }}
  OPTIONAL {{ FILTER (!isLiteral(?o)) ?o a ?type }}
  OPTIONAL {{ FILTER (!isLiteral(?o)) ?o <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
}}""" % GENID


def _refresh_current_view(context: Graph, project: Project) -> None:
    """Recompute the view for every claimed subject and property in the context."""
    claims = set(context.subjects(RDF.type, IPC.Claim))
    claimed = {(context.value(c, RDF.subject), context.value(c, RDF.predicate)) for c in claims}
    for subject, predicate in claimed:
        if subject is not None and predicate is not None:
            context.remove((subject, predicate, None))
    # The rule writes the view into its own named graph; validation wants one flat graph.
    dataset = Dataset()
    dataset.default_graph += context
    with warnings.catch_warnings():  # rdflib's own update code calls its deprecated Dataset.default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.update(current_view_rule(project))
    context += dataset.graph(URIRef(VIEW_GRAPH))


def _shorten_vocabulary(match: re.Match) -> str:
    """Prefixed names for terms of the graph; links to Wikidata, DBpedia and GeoNames stay whole."""
    short = shorten(match.group())
    return match.group() if short.split(":", 1)[0] in _LINK_PREFIXES else short


def _graph_label(graph: Graph, node: Node) -> str | None:
    return _label(list(graph.objects(node, RDFS.label)),
                  lambda: [s for s, _ in graph.subject_predicates(node)], node)


def _store_label(database: ox.Store, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> str | None:
    if isinstance(node, ox.Literal):
        return None
    return _label([to_rdflib(q.object) for q in database.quads_for_pattern(node, _OX_LABEL, None)],
                  lambda: [to_rdflib(q.subject) for q in database.quads_for_pattern(None, None, node)],
                  to_rdflib(node))


def _label(labels: list[Node], parents: Callable[[], list[Node]], node: Node) -> str | None:
    """The English label, else any label; a blank node (a quantity) is named by what holds it."""
    if not labels and isinstance(node, BNode):
        holders = parents()
        return f"value of {shorten(str(min(holders)))}" if holders else None
    english = sorted(str(lbl) for lbl in labels if getattr(lbl, "language", None) == "en")
    return (english or sorted(str(lbl) for lbl in labels) or [None])[0]


def _shape_name(shapes: Graph, shape: Node | None) -> str | None:
    """A property shape is named by the node shape it belongs to and its path."""
    if shape is None:
        return None
    if isinstance(shape, URIRef):
        return str(shape)
    owner = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    if owner is not None:
        return f"{owner} {shorten(str(path))}" if isinstance(path, URIRef) else str(owner)
    return None


def _node_id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)
