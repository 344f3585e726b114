"""SHACL shapes compiled to SPARQL: a few queries per shape, run over the whole graph.

pySHACL checks every constraint node by node in Python, which takes about
half an hour on a million triples.  The ipckg shapes are non-recursive SHACL
Core and SHACL-SPARQL, so each shape compiles to SELECT queries whose rows
are its violations, and Oxigraph answers them set-at-a-time.  Compilation
follows the W3C SHACL recommendation component by component; a shape using
A shape using anything it does not cover, or whose meaning the
set-at-a-time form would change (a SPARQL constraint that needs $this bound
in advance), is handed to pySHACL instead (ShapePlan.fallback), never
skipped.  SPARQL that SHACL forbids is refused (ShapeError) by both engines.
pySHACL stays the reference engine: the tests compare both on every fixture
and on the W3C test suite.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .errors import InputError, ShapeError
from .namespaces import XSD, shorten
from .sparql import tokens
from .terms import SH

INSTANCE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_CLASS_TEST = re.compile(r"EXISTS \{ (?P<node>\?\w+) " + re.escape(INSTANCE_OF) + r" (?P<cls><[^>\s]+>) \}")

# Datatypes whose lexical form Oxigraph can check by casting: a literal that
# does not cast is ill-typed, and fails sh:datatype as it does in pySHACL.
_CASTABLE = {f"{XSD}{name}" for name in (
    "integer", "decimal", "double", "float", "boolean", "date", "time", "dateTime", "gYear", "gYearMonth")}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})", SH.IRIOrLiteral: "!isBlank({v})",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
# Parameters that describe a shape or belong to a component handled with another one.
_DESCRIPTIVE = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
                SH.path, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                SH.property, SH.deactivated, SH.flags, SH.qualifiedValueShape, SH.qualifiedMinCount,
                SH.qualifiedMaxCount, SH.sparql, SH.declare, SH.prefixes}
_VALUE_PARAMETERS = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH.maxLength,
                     SH.languageIn, SH["in"], SH.node, SH["or"], SH["and"], SH["not"], SH.xone,
                     *_COMPARISONS}
_FOCUS_PARAMETERS = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.hasValue, SH.equals, SH.disjoint, *_PAIRS}
# Pre-bound variables (SHACL 5.3.1) and the SPARQL that may not appear with them.
_PRE_BOUND = {"this", "shapesGraph", "currentShape", "value", "PATH"}
_FORBIDDEN_KEYWORDS = {"MINUS", "SERVICE", "VALUES"}
# Before the triple pattern that binds $this, these make the set-at-a-time
# query differ from one run per focus node with $this bound in advance.
_NEEDS_PRE_BINDING = {"BIND", "OPTIONAL", "GRAPH", "SELECT"}


class UnsupportedShape(InputError):
    """A shape uses SHACL this compiler does not translate; pySHACL validates it instead."""


@dataclass(frozen=True)
class ShapePlan:
    """How a shapes graph is validated: compiled queries, and the shapes left to pySHACL (with why)."""

    queries: list[ConstraintQuery]
    fallback: dict[Node, str]


@dataclass(frozen=True)
class Check:
    """One constraint component of a query: a row where `column` is false is a violation of it."""

    component: URIRef
    column: str | None = None


@dataclass(frozen=True)
class ConstraintQuery:
    """A query over the whole graph whose rows are violations of one shape.

    Rows bind ?this (the focus node) and, for value constraints, ?value; a
    SHACL-SPARQL constraint's rows also bind the variables its message names.
    """

    shape: Node
    severity: URIRef
    messages: tuple[Literal, ...]
    path: Node | None
    checks: tuple[Check, ...]
    sparql: str


@dataclass(frozen=True)
class Violation:
    query: ConstraintQuery
    component: URIRef
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    message: str | None


def compile_shapes(shapes: Graph) -> ShapePlan:
    """The queries that find the violations of every shape they can, and the shapes they cannot.

    Raises ShapeError first if any SPARQL in the shapes is forbidden by SHACL.
    """
    refuse_forbidden_sparql(shapes)
    return _Compiler(shapes).compile()


def refuse_forbidden_sparql(shapes: Graph) -> None:
    """Refuse SPARQL constraints and validators that SHACL 5.3.1 forbids, before anything runs.

    A SERVICE would reach for the network, and the others change what the
    pre-bound variables mean; the W3C suite expects a failure for each.
    """
    parameters = {str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                  for parameter in shapes.objects(None, SH.parameter) for path in shapes.objects(parameter, SH.path)}
    for holder, text in _sparql_texts(shapes):
        problem = _forbidden(text, _PRE_BOUND | parameters)
        if problem:
            raise ShapeError(f"The SPARQL of {_describe(shapes, holder)} {problem}, which SHACL forbids in "
                             "SPARQL-based constraints (section 5.3.1); nothing was validated. Rewrite the query.")


def _sparql_texts(shapes: Graph) -> Iterator[tuple[Node, str]]:
    for predicate in (SH.select, SH.ask):
        for holder, text in shapes.subject_objects(predicate):
            yield holder, str(text)


def _forbidden(text: str, pre_bound: set[str]) -> str | None:
    words = [t.group() for t in tokens(text) if not t.group().startswith(("#", '"', "'"))]
    for i, word in enumerate(words):
        upper = word.upper()
        if upper in _FORBIDDEN_KEYWORDS:
            return f"uses {upper}"
        if upper == "AS" and i + 1 < len(words) and words[i + 1][1:] in pre_bound and words[i + 1][0] in "?$":
            return f"assigns the pre-bound variable {words[i + 1]} with AS"
        if upper == "SELECT" and words[:i].count("{") > 0:
            projection = list(itertools.takewhile(lambda w: w.upper() != "WHERE" and w != "{", words[i + 1:]))
            if "*" in projection or not ({"?this", "$this"} & set(projection)):
                return "has a subquery that does not select $this by name"
    return None


def _describe(shapes: Graph, node: Node) -> str:
    owner = shapes.value(None, SH.sparql, node) or shapes.value(None, SH.validator, node) or node
    if isinstance(owner, URIRef):
        return shorten(str(owner)) if shorten(str(owner)) != str(owner) else owner.n3(shapes.namespace_manager)
    return "an anonymous shape or validator"


def _is_true(value: Node | None) -> bool:
    """SHACL's boolean parameters are on only for the literal true ("1" does not count, says the suite)."""
    return isinstance(value, Literal) and value.datatype == URIRef(XSD + "boolean") and str(value) == "true"


def run_queries(store: ox.Store, queries: list[ConstraintQuery],
                progress: Callable[[int, int], None] | None = None) -> Iterator[Violation]:
    """Run the compiled queries over a store, yielding one violation per failed component and node."""
    for done, query in enumerate(queries, start=1):
        solutions = store.query(query.sparql, use_default_graph_as_union=True)  # with the view's named graph
        has_value = ox.Variable("value") in solutions.variables
        for row in solutions:
            focus = row["this"]
            value = row["value"] if has_value else None
            for check in query.checks:
                if check.component == SH.SPARQLConstraintComponent:
                    # The recommendation: without a ?value, the value is the focus node.
                    yield Violation(query, check.component, focus, value if value is not None else focus,
                                    _substitute(query.messages, row))
                elif check.column is None:
                    yield Violation(query, check.component, focus, value, None)
                elif row[check.column] is not None and row[check.column].value == "false":
                    yield Violation(query, check.component, focus, value, None)
        if progress:
            progress(done, len(queries))


def _substitute(messages: tuple[Literal, ...], row: ox.QuerySolution) -> str | None:
    """A SHACL-SPARQL message with {?var} and {$var} replaced by the row's values."""
    if not messages:
        return None
    message = preferred_message(messages)

    def value(match: re.Match) -> str:
        try:
            term = row[match.group(1)]
        except (KeyError, TypeError):
            return match.group()
        return match.group() if term is None else term.value

    return re.sub(r"\{[?$]([A-Za-z0-9_]+)\}", value, str(message))


def preferred_message(messages: tuple[Literal, ...]) -> Literal:
    english = [m for m in messages if m.language == "en"]
    return (english or sorted(messages))[0]


class _Compiler:
    def __init__(self, shapes: Graph):
        self.graph = shapes
        self._counter = itertools.count()
        self._prologue = self._prefixes()

    def compile(self) -> ShapePlan:
        queries, fallback = [], {}
        for shape in sorted(self._targeted(), key=str):
            try:
                queries += self._shape_queries(shape)
            except UnsupportedShape as reason:
                fallback[shape] = str(reason)
        return ShapePlan(queries, fallback)

    def _shape_queries(self, shape: Node) -> list[ConstraintQuery]:
        """All queries of one targeted shape, or UnsupportedShape for the whole of it."""
        targets = self._targets(shape)
        self._refuse_unknown(shape)
        if self._path(shape) is not None:
            return self._property_queries(shape, targets)
        queries = self._node_queries(shape, targets)
        for prop in sorted(self.graph.objects(shape, SH.property), key=str):
            if not self._deactivated(prop):
                self._refuse_unknown(prop)
                queries += self._property_queries(prop, targets)
        return queries

    # ---------------------------------------------------------- shapes and targets

    def _targeted(self) -> set[Node]:
        g = self.graph
        shapes = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                  for s in g.subjects(p, None)}
        shapes |= {s for s in g.subjects(RDF.type, SH.NodeShape)
                   if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, OWL.Class) in g}
        return {s for s in shapes if not self._deactivated(s)}

    def _deactivated(self, shape: Node) -> bool:
        return _is_true(self.graph.value(shape, SH.deactivated))

    def _targets(self, shape: Node) -> str:
        """A group pattern binding ?this to every focus node of the shape."""
        g = self.graph
        classes = set(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            classes.add(shape)
        parts = [f"?this {INSTANCE_OF} {c.n3()} ." for c in sorted(classes)]
        parts += [f"VALUES ?this {{ {n.n3()} }}" for n in sorted(g.objects(shape, SH.targetNode))]
        parts += [f"?this {p.n3()} [] ." for p in sorted(g.objects(shape, SH.targetSubjectsOf))]
        parts += [f"[] {p.n3()} ?this ." for p in sorted(g.objects(shape, SH.targetObjectsOf))]
        return " UNION ".join(f"{{ {part} }}" for part in parts)

    def _refuse_unknown(self, shape: Node) -> None:
        known = _DESCRIPTIVE | _VALUE_PARAMETERS | _FOCUS_PARAMETERS
        custom = {path for parameter in self.graph.objects(None, SH.parameter)
                  for path in self.graph.objects(parameter, SH.path)}
        node_shape = self.graph.value(shape, SH.path) is None
        for parameter in set(self.graph.predicates(shape, None)):
            unknown = str(parameter).startswith(str(SH)) and parameter not in known
            if unknown or parameter in custom:
                raise UnsupportedShape(f"The shape {self._name(shape)} uses "
                                       f"{parameter.n3(self.graph.namespace_manager)}, which the SPARQL engine does "
                                       "not compile.")
            if node_shape and parameter in _FOCUS_PARAMETERS - {SH.hasValue} | {SH.qualifiedValueShape}:
                raise UnsupportedShape(f"The node shape {self._name(shape)} uses "
                                       f"{parameter.n3(self.graph.namespace_manager)}, which the SPARQL engine "
                                       "compiles only on property shapes.")
        if not node_shape and (shape, SH.property, None) in self.graph:
            raise UnsupportedShape(f"The property shape {self._name(shape)} has property shapes of its own, "
                                   "which the SPARQL engine does not compile.")

    def _name(self, shape: Node) -> str:
        if isinstance(shape, URIRef):
            short = shorten(str(shape))
            return short if short != str(shape) else shape.n3(self.graph.namespace_manager)
        owner = self.graph.value(None, SH.property, shape)
        return f"a property shape of {self._name(owner)}" if owner is not None else "an anonymous shape"

    def _severity(self, shape: Node) -> URIRef:
        return self.graph.value(shape, SH.severity) or SH.Violation

    def _messages(self, node: Node) -> tuple[Literal, ...]:
        return tuple(sorted(self.graph.objects(node, SH.message)))

    # ----------------------------------------------------------------- queries

    def _query(self, shape: Node, checks: list[Check], body: str, path: Node | None = None,
               messages: tuple[Literal, ...] | None = None) -> ConstraintQuery:
        return ConstraintQuery(shape, self._severity(shape), self._messages(shape) if messages is None else messages,
                               path, tuple(checks), self._prologue + body)

    def _node_queries(self, shape: Node, targets: str) -> list[ConstraintQuery]:
        """Constraints on the focus node itself (it is its own value node), and SPARQL constraints."""
        queries = []
        tests = self._value_tests(shape, "?this")
        if tests:
            queries.append(self._tests_query(shape, targets, "", tests, select_value="(?this AS ?value)"))
        for value in self.graph.objects(shape, SH.hasValue):  # a result without sh:value, says the suite
            queries.append(self._query(shape, [Check(SH.HasValueConstraintComponent)], f"""
SELECT DISTINCT ?this WHERE {{ {targets} FILTER (!sameTerm(?this, {value.n3()})) }}"""))
        for constraint in sorted(self.graph.objects(shape, SH.sparql), key=str):
            queries.append(self._sparql_query(shape, constraint, targets))
        return queries

    def _property_queries(self, shape: Node, targets: str) -> list[ConstraintQuery]:
        g, path = self.graph, self._path(shape)
        if (shape, SH.sparql, None) in g:
            raise UnsupportedShape(f"The property shape {self._name(shape)} has a SPARQL constraint, which the SPARQL "
                                   "engine does not compile.")
        queries = []
        tests = self._value_tests(shape, "?value")
        if tests:
            queries.append(self._tests_query(shape, targets, f"?this {path} ?value .", tests,
                                             path=g.value(shape, SH.path)))
        count = self._count_query(shape, targets, path)
        if count:
            queries.append(count)
        for parameter, operator in _PAIRS.items():
            for other in g.objects(shape, parameter):
                # One result per pair of a value and a value it is not less than.
                queries.append(self._query(shape, [Check(_component(parameter))], f"""
SELECT ?this ?value WHERE {{ SELECT DISTINCT ?this ?value ?other WHERE {{ {targets} ?this {path} ?value .
  ?this {other.n3()} ?other . FILTER (!COALESCE(?value {operator} ?other, false)) }} }}""", g.value(shape, SH.path)))
        for other in g.objects(shape, SH.equals):
            queries.append(self._query(shape, [Check(SH.EqualsConstraintComponent)], f"""
SELECT DISTINCT ?this ?value WHERE {{ {targets}
  {{ ?this {path} ?value . FILTER NOT EXISTS {{ ?this {other.n3()} ?value }} }}
  UNION {{ ?this {other.n3()} ?value . FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}""", g.value(shape, SH.path)))
        for other in g.objects(shape, SH.disjoint):
            queries.append(self._query(shape, [Check(SH.DisjointConstraintComponent)], f"""
SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value . ?this {other.n3()} ?value . }}""",
                                       g.value(shape, SH.path)))
        if _is_true(g.value(shape, SH.uniqueLang)):  # one result per duplicated language
            queries.append(self._query(shape, [Check(SH.UniqueLangConstraintComponent)], f"""
SELECT ?this WHERE {{ SELECT DISTINCT ?this (LCASE(lang(?a)) AS ?language) WHERE {{ {targets} ?this {path} ?a, ?b .
  FILTER (!sameTerm(?a, ?b) && lang(?a) != "" && LCASE(lang(?a)) = LCASE(lang(?b))) }} }}""", g.value(shape, SH.path)))
        for value in g.objects(shape, SH.hasValue):
            queries.append(self._query(shape, [Check(SH.HasValueConstraintComponent)], f"""
SELECT DISTINCT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} {value.n3()} }} }}""",
                                       g.value(shape, SH.path)))
        qualified = g.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            if _is_true(g.value(shape, SH.qualifiedValueShapesDisjoint)):
                raise UnsupportedShape(f"The shape {self._name(shape)} uses sh:qualifiedValueShapesDisjoint, which "
                                       "the SPARQL engine does not compile.")
            conforms = self._conforms(qualified, "?value")
            bounds = [(SH.QualifiedMinCountConstraintComponent, ">=", g.value(shape, SH.qualifiedMinCount)),
                      (SH.QualifiedMaxCountConstraintComponent, "<=", g.value(shape, SH.qualifiedMaxCount))]
            bounds = [(component, op, int(n)) for component, op, n in bounds if n is not None]
            queries.append(self._aggregate_query(shape, targets, f"OPTIONAL {{ ?this {path} ?value . FILTER ({conforms}) }}",
                                                 bounds))
        return queries

    def _count_query(self, shape: Node, targets: str, path: str) -> ConstraintQuery | None:
        bounds = [(SH.MinCountConstraintComponent, ">=", self.graph.value(shape, SH.minCount)),
                  (SH.MaxCountConstraintComponent, "<=", self.graph.value(shape, SH.maxCount))]
        bounds = [(component, op, int(n)) for component, op, n in bounds if n is not None]
        if not bounds:
            return None
        if bounds == [(SH.MinCountConstraintComponent, ">=", 1)]:
            # The common "at least one": a NOT EXISTS is far cheaper than counting.
            return self._query(shape, [Check(SH.MinCountConstraintComponent)], f"""
SELECT DISTINCT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} ?value }} }}""",
                               self.graph.value(shape, SH.path))
        return self._aggregate_query(shape, targets, f"OPTIONAL {{ ?this {path} ?value }}", bounds)

    def _aggregate_query(self, shape: Node, targets: str, values: str,
                         bounds: list[tuple[URIRef, str, int]]) -> ConstraintQuery:
        columns = " ".join(f"((COUNT(DISTINCT ?value) {op} {n}) AS ?ok{i})" for i, (_, op, n) in enumerate(bounds))
        having = " && ".join(f"COUNT(DISTINCT ?value) {op} {n}" for _, op, n in bounds)
        return self._query(shape, [Check(component, f"ok{i}") for i, (component, _, _) in enumerate(bounds)], f"""
SELECT ?this {columns} WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }} {values} }}
GROUP BY ?this HAVING (!({having}))""", self.graph.value(shape, SH.path))

    def _tests_query(self, shape: Node, targets: str, values: str, tests: list[tuple[URIRef, str]],
                     select_value: str = "?value", path: Node | None = None) -> ConstraintQuery:
        # sh:class on the selected node: the instances of the class are found once and joined, not
        # searched again for every value (an EXISTS per row took 25 s for 95,000 claims at 1M triples).
        joins, tests = "", list(tests)
        for i, (component, test) in enumerate(tests):
            instance = _CLASS_TEST.fullmatch(test)
            if component == SH.ClassConstraintComponent and instance and instance["node"] == select_value:
                joins += (f" OPTIONAL {{ SELECT DISTINCT {select_value} (true AS ?instance{i}) WHERE {{ "
                          f"{select_value} {INSTANCE_OF} {instance['cls']} }} }}")
                tests[i] = (component, f"BOUND(?instance{i})")
        values += joins
        binds = " ".join(f"BIND (COALESCE({test}, false) AS ?ok{i})" for i, (_, test) in enumerate(tests))
        failing = " || ".join(f"!?ok{i}" for i in range(len(tests)))
        columns = " ".join(f"?ok{i}" for i in range(len(tests)))
        return self._query(shape, [Check(component, f"ok{i}") for i, (component, _) in enumerate(tests)], f"""
SELECT DISTINCT ?this {select_value} {columns} WHERE {{ {targets} {values} {binds} FILTER ({failing}) }}""", path)

    def _sparql_query(self, shape: Node, constraint: Node, targets: str) -> ConstraintQuery:
        """A SHACL-SPARQL constraint run once for all nodes, then joined with the focus nodes.

        Equivalent to pre-binding $this when the pattern binds $this itself, which
        selecting it requires.  The join sits outside: inside the pattern, the
        target path made Oxigraph pick plans that did not finish at 100k triples.
        """
        if self._deactivated(constraint):
            raise UnsupportedShape(f"The shape {self._name(shape)} has a deactivated SPARQL constraint, which "
                                   "has no compiled query.")
        text = str(self.graph.value(constraint, SH.select))
        opening = next((t.start() for t in tokens(text) if t.group() == "{"), len(text))
        select = re.search(r"\bSELECT\b", text[:opening], re.I)
        if select is None or not re.search(r"[?$]this\b", text[select.end():opening]) or re.search(
                r"[?$](PATH|shapesGraph|currentShape)\b", text) or re.search(r"[?$]path\b", text[:opening]):
            raise UnsupportedShape(
                f"A SPARQL constraint of {self._name(shape)} does not select $this, selects ?path or uses $PATH, "
                "$shapesGraph or $currentShape: the SPARQL engine runs it for all focus nodes at once.")
        if not _binds_this_first(text[opening:]):
            raise UnsupportedShape(
                f"A SPARQL constraint of {self._name(shape)} needs $this bound before it runs (it uses $this in a "
                "BIND, a subquery, an OPTIONAL or a filter before any triple pattern binds it).")
        declarations, query = text[:select.start()], text[select.start():]
        body = f"{declarations}\nSELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n{{ {query} }} }}"
        messages = self._messages(constraint) or self._messages(shape)
        return self._query(shape, [Check(SH.SPARQLConstraintComponent)], body, messages=messages)

    # ------------------------------------------------------------------ tests

    def _path(self, shape: Node) -> str | None:
        path = self.graph.value(shape, SH.path)
        return None if path is None else self._path_expression(path)

    def _path_expression(self, path: Node) -> str:
        g = self.graph
        if isinstance(path, URIRef):
            return path.n3()
        if (path, RDF.first, None) in g:
            return "(" + "/".join(self._path_expression(p) for p in Collection(g, path)) + ")"
        for parameter, template in ((SH.alternativePath, "({})"), (SH.inversePath, "^({})"),
                                    (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                                    (SH.zeroOrOnePath, "({})?")):
            inner = g.value(path, parameter)
            if inner is None:
                continue
            if parameter == SH.alternativePath:
                return template.format("|".join(self._path_expression(p) for p in Collection(g, inner)))
            return template.format(self._path_expression(inner))
        raise UnsupportedShape(f"A property shape has a path the SPARQL validation engine cannot read ({path}).")

    def _value_tests(self, shape: Node, v: str, seen: frozenset = frozenset()) -> list[tuple[URIRef, str]]:
        """(component, expression) for each constraint on a value node `v`: true when it passes."""
        g = self.graph
        if shape in seen:
            raise UnsupportedShape(f"The shape {self._name(shape)} refers to itself; the SPARQL validation "
                                   "engine only compiles non-recursive shapes.")
        seen = seen | {shape}
        tests = [(SH.ClassConstraintComponent, f"EXISTS {{ {v} {INSTANCE_OF} {c.n3()} }}")
                 for c in sorted(g.objects(shape, SH["class"]))]
        tests += [(SH.DatatypeConstraintComponent, _datatype_test(v, d)) for d in g.objects(shape, SH.datatype)]
        tests += [(SH.NodeKindConstraintComponent, _NODE_KINDS[k].format(v=v)) for k in g.objects(shape, SH.nodeKind)]
        flags = g.value(shape, SH.flags)
        tests += [(SH.PatternConstraintComponent,
                   f"(!isBlank({v}) && REGEX(STR({v}), {Literal(str(p)).n3()}"
                   + (f", {Literal(str(flags)).n3()}" if flags else "") + "))")
                  for p in g.objects(shape, SH.pattern)]
        tests += [(SH.MinLengthConstraintComponent, f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(n)})")
                  for n in g.objects(shape, SH.minLength)]
        tests += [(SH.MaxLengthConstraintComponent, f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(n)})")
                  for n in g.objects(shape, SH.maxLength)]
        tests += [(_component(p), f"({v} {op} {bound.n3()})")
                  for p, op in _COMPARISONS.items() for bound in g.objects(shape, p)]
        for members in g.objects(shape, SH["in"]):
            tests.append((SH.InConstraintComponent,
                          "(" + (" || ".join(f"sameTerm({v}, {m.n3()})" for m in Collection(g, members)) or "false") + ")"))
        for languages in g.objects(shape, SH.languageIn):
            tests.append((SH.LanguageInConstraintComponent, f'(lang({v}) != "" && ('
                          + (" || ".join(f"langMatches(lang({v}), {Literal(str(t)).n3()})"
                                         for t in Collection(g, languages)) or "false") + "))"))
        tests += [(SH.NodeConstraintComponent, self._conforms(s, v, seen)) for s in g.objects(shape, SH.node)]
        for parameter, joiner in ((SH["or"], " || "), (SH["and"], " && ")):
            for members in g.objects(shape, parameter):
                tests.append((_component(parameter),
                              "(" + joiner.join(self._conforms(m, v, seen) for m in Collection(g, members)) + ")"))
        for members in g.objects(shape, SH.xone):
            tests.append((SH.XoneConstraintComponent, "((" + " + ".join(
                f"IF({self._conforms(m, v, seen)}, 1, 0)" for m in Collection(g, members)) + ") = 1)"))
        tests += [(SH.NotConstraintComponent, f"!{self._conforms(s, v, seen)}") for s in g.objects(shape, SH["not"])]
        return tests

    def _conforms(self, shape: Node, v: str, seen: frozenset = frozenset()) -> str:
        """An expression true when the node `v` conforms to the shape (used inside sh:or, sh:node, …)."""
        g = self.graph
        self._refuse_unknown(shape)
        path = self._path(shape)
        if path is None:
            tests = [test for _, test in self._value_tests(shape, v, seen)]
            tests += [f"NOT EXISTS {{ {self._nested_sparql(c, v)} }}" for c in g.objects(shape, SH.sparql)]
            tests += [f"sameTerm({v}, {x.n3()})" for x in g.objects(shape, SH.hasValue)]
            tests += [self._conforms(p, v, seen) for p in g.objects(shape, SH.property)]
        else:
            x = self._variable()
            value_tests = [test for _, test in self._value_tests(shape, x, seen)]
            tests = [f"NOT EXISTS {{ {v} {path} {x} . FILTER (!COALESCE({' && '.join(value_tests)}, false)) }}"] \
                if value_tests else []
            tests += [f"EXISTS {{ {v} {path} {value.n3()} }}" for value in g.objects(shape, SH.hasValue)]
            minimum, maximum = g.value(shape, SH.minCount), g.value(shape, SH.maxCount)
            if minimum is not None and int(minimum) > 0:
                tests.append(f"EXISTS {{ {self._distinct_values(v, path, int(minimum))} }}")
            if maximum is not None:
                tests.append(f"NOT EXISTS {{ {self._distinct_values(v, path, int(maximum) + 1)} }}")
            if set(g.predicates(shape, None)) & ({SH.uniqueLang, SH.equals, SH.disjoint, SH.qualifiedValueShape,
                                                  SH.sparql} | set(_PAIRS)):
                raise UnsupportedShape(f"The nested property shape {self._name(shape)} uses a pair, qualified or "
                                       "SPARQL constraint, which the SPARQL validation engine does not support "
                                       "there.")
        return "(" + (" && ".join(tests) or "true") + ")"

    def _distinct_values(self, v: str, path: str, n: int) -> str:
        names = [self._variable() for _ in range(n)]
        pattern = " ".join(f"{v} {path} {name} ." for name in names)
        distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2))
        return pattern + (f" FILTER ({distinct})" if distinct else "")

    def _nested_sparql(self, constraint: Node, v: str) -> str:
        """The pattern of a SPARQL constraint on a value node: $this is `v`, its other variables renamed."""
        text = str(self.graph.value(constraint, SH.select))
        words = list(tokens(text))
        braces = [t for t in words if t.group() in ("{", "}")]
        if not braces or re.search(r"\b(GROUP|HAVING|ORDER|LIMIT|OFFSET)\b", text[braces[-1].end():], re.I):
            raise UnsupportedShape("A SPARQL constraint inside sh:or, sh:and, sh:not, sh:xone or sh:node must be a "
                                   "plain SELECT … WHERE { … } for the SPARQL engine to compile it.")
        suffix = f"_{next(self._counter)}"
        pieces, last = [], braces[0].end()
        for token in words:
            if token.start() < braces[0].end() or token.end() > braces[-1].start():
                continue
            if token.group()[0] in "?$" and len(token.group()) > 1:
                pieces += [text[last:token.start()], v if token.group()[1:] == "this" else token.group() + suffix]
                last = token.end()
        pieces.append(text[last:braces[-1].start()])
        return "".join(pieces)

    def _variable(self) -> str:
        return f"?v{next(self._counter)}"

    # --------------------------------------------------------------- prefixes

    def _prefixes(self) -> str:
        """PREFIX declarations of every sh:declare in the shapes graph, for the SPARQL constraints."""
        declared: dict[str, str] = {}
        for declaration in self.graph.objects(None, SH.declare):
            prefix, namespace = self.graph.value(declaration, SH.prefix), self.graph.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                continue
            if declared.setdefault(str(prefix), str(namespace)) != str(namespace):
                raise UnsupportedShape(f"The shapes declare the prefix {prefix}: twice, for {declared[str(prefix)]} "
                                       f"and {namespace}; the SPARQL validation engine needs one meaning per prefix.")
        return "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(declared.items()))


def _binds_this_first(where: str) -> bool:
    """Whether the outermost group binds $this before anything that would see it unbound.

    It binds $this by a triple pattern, or by a subquery that selects $this
    and binds it so itself; running the query once for all focus nodes and
    joining on ?this then gives what pre-binding each focus node would.
    """
    words = [t.group() for t in tokens(where) if not t.group().startswith("#")]
    return _binds_this(words, 0)


def _binds_this(words: list[str], start: int) -> bool:
    """From the '{' at `start`: whether $this is bound first, as `_binds_this_first` says."""
    parentheses, i = 0, start + 1
    while i < len(words):
        word = words[i]
        if word == "{":
            select = i + 1 < len(words) and words[i + 1].upper() == "SELECT"
            projection = list(itertools.takewhile(lambda w: w != "{" and w.upper() != "WHERE", words[i + 2:]))
            inner = next((j for j in range(i + 2, len(words)) if words[j] == "{"), None)
            return bool(select and {"?this", "$this"} & set(projection) and inner is not None
                        and _binds_this(words, inner))
        if word == "}":
            return False
        if word == "(":
            parentheses += 1
        elif word == ")":
            parentheses -= 1
        elif word in ("?this", "$this") and parentheses == 0:
            return True
        elif word.upper() in _NEEDS_PRE_BINDING:
            return False
        i += 1
    return False


def _datatype_test(v: str, datatype: Node) -> str:
    if datatype == RDF.langString:
        return f'(isLiteral({v}) && lang({v}) != "")'
    test = f"(isLiteral({v}) && datatype({v}) = {datatype.n3()}"
    if str(datatype) in _CASTABLE:
        test += f" && isLiteral({datatype.n3()}(STR({v})))"
    return test + ")"


def _component(parameter: URIRef) -> URIRef:
    """sh:minInclusive → sh:MinInclusiveConstraintComponent, as the recommendation names them."""
    name = str(parameter)[len(str(SH)):]
    return SH[name[0].upper() + name[1:] + "ConstraintComponent"]
