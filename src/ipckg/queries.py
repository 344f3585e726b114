"""Saved SPARQL queries: their self-describing headers and typed parameters.

A saved query is a `.rq` file under `queries/` whose first lines are a
header in TOML, each line prefixed with `#+ ` (so the file stays valid
SPARQL), for example::

    #+ title = "Projects by host country"
    #+ description = "Every project with its host country and sector."
    #+ [parameters.country]
    #+ type = "iri"
    #+ description = "Host country, e.g. country:malaysia"
    #+ required = false

Parameters are typed, checked and turned into RDF terms, then bound by a
VALUES block opening the WHERE clause (`sparql.with_values`), the same way
for every engine, so a saved query means the same on Oxigraph, rdflib and a
remote server.  A value is only ever one RDF term in N-Triples syntax, never
SPARQL text.
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, UsageError
from .namespaces import XSD, expand
from .project import Project
from .sparql import query_form

TYPES = {
    "iri": "an IRI (https://…) or a prefixed name such as country:malaysia",
    "string": "a text",
    "langstring": "a text with a language tag, such as Kuantan@en",
    "integer": "a whole number",
    "decimal": "a decimal number",
    "date": "a date YYYY-MM-DD",
    "year": "a four-digit year (bound as xsd:integer)",
}
_HEADER_KEYS = {"title", "description", "parameters"}
_PARAMETER_KEYS = {"type", "description", "required", "default", "allowed"}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")

Term = ox.NamedNode | ox.Literal


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    required: bool = False
    default: str | None = None
    allowed: tuple[str, ...] = ()

    def convert(self, raw: str, query: str) -> Term:
        """The RDF term for a command-line value, or a usage error naming the parameter."""
        term = _convert(self.type, raw)
        if term is None:
            raise UsageError(f"Parameter '{self.name}' of query '{query}' expects {TYPES[self.type]}; "
                             f"got {shown(raw)}.")
        if self.allowed and raw not in self.allowed and str(term) not in {
                str(_convert(self.type, a)) for a in self.allowed}:
            raise UsageError(f"Parameter '{self.name}' of query '{query}' must be one of "
                             f"{', '.join(self.allowed)}; got {shown(raw)}.")
        return term


def shown(raw: str, limit: int = 60) -> str:
    """A value as an error message quotes it: whole if short, else its start and its length."""
    return repr(raw) if len(raw) <= limit else f"{raw[:limit]!r}… ({len(raw):,} characters)"


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str

    @property
    def form(self) -> str:
        return query_form(self.sparql) or "SELECT"

    @property
    def header(self) -> str:
        return "".join(line for line in self.sparql.splitlines(keepends=True) if line.startswith("#+"))

    def bind(self, values: Mapping[str, str]) -> dict[str, Term]:
        """Check and convert parameter values; defaults fill what was not given."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            offered = ", ".join(known) or "none"
            raise UsageError(f"Query '{self.name}' has no parameter {', '.join(map(repr, unknown))} "
                             f"(its parameters: {offered}).")
        bindings = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            if raw is None:
                if parameter.required:
                    raise UsageError(f"Query '{self.name}' needs the parameter '{parameter.name}' "
                                     f"({TYPES[parameter.type]}): add -p {parameter.name}=VALUE.")
                continue
            bindings[parameter.name] = parameter.convert(raw, self.name)
        return bindings


def load_query(path: Path) -> SavedQuery:
    """Read a saved query and parse its header strictly."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read the saved query {path}: {error}.") from None
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    if not header_lines:
        raise InputError(f"{path} has no header: a saved query starts with '#+ title = \"…\"' lines "
                         "(see README, 'Saved query header').")
    try:
        header = tomllib.loads("\n".join(header_lines))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: the '#+' header is not valid TOML: {error}.") from None
    where = f"{path}: header"
    _check_keys(header, _HEADER_KEYS, where)
    for key in ("title", "description"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise InputError(f"{where} needs a non-empty {key} string.")
    if not query_form(text):
        raise InputError(f"{path} is not a SPARQL query: after the prologue it must start with "
                         "SELECT, ASK, CONSTRUCT or DESCRIBE.")
    parameters = tuple(_parameter(name, spec, path, text)
                       for name, spec in (header.get("parameters") or {}).items())
    return SavedQuery(path.stem, path, header["title"].strip(), " ".join(header["description"].split()),
                      parameters, text)


def saved_queries(project: Project) -> list[SavedQuery]:
    return [load_query(p) for p in sorted(project.queries_dir.glob("*.rq"))]


def check_queries(project: Project) -> list[SavedQuery]:
    return [load_query(p) for p in sorted(project.checks_dir.glob("*.rq"))]


def find_query(project: Project, name: str) -> SavedQuery:
    path = project.queries_dir / f"{name}.rq"
    if "/" not in name and path.is_file():
        return load_query(path)
    names = [p.stem for p in project.queries_dir.glob("*.rq")]
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else " 'ipckg query list' shows them all."
    raise UsageError(f"There is no saved query '{name}' in {project.queries_dir}.{hint}")


def _parameter(name: str, spec: object, path: Path, text: str) -> Parameter:
    where = f"{path}: parameter '{name}'"
    if not isinstance(spec, dict):
        raise InputError(f"{where} must be a table ([parameters.{name}]).")
    _check_keys(spec, _PARAMETER_KEYS, where)
    if spec.get("type") not in TYPES:
        raise InputError(f"{where} has type {spec.get('type')!r}; use one of {', '.join(TYPES)}.")
    if not isinstance(spec.get("description"), str):
        raise InputError(f"{where} needs a description string.")
    if not re.search(rf"[?$]{re.escape(name)}\b", text):
        raise InputError(f"{where} is not used in the query: no ?{name} in its SPARQL.")
    default = spec.get("default")
    allowed = spec.get("allowed", [])
    if default is not None and not isinstance(default, str) or not isinstance(allowed, list) \
            or not all(isinstance(a, str) for a in allowed):
        raise InputError(f"{where}: default must be a string and allowed a list of strings.")
    parameter = Parameter(name, spec["type"], spec["description"], bool(spec.get("required", False)),
                          default, tuple(allowed))
    for value in [*allowed, *([default] if default is not None else [])]:
        if _convert(parameter.type, value) is None:
            raise InputError(f"{where}: {value!r} is not {TYPES[parameter.type]}.")
    return parameter


def _check_keys(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise InputError(f"{where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.")


def _convert(kind: str, raw: str) -> Term | None:
    """The typed RDF term for a raw value, None when it does not fit the type."""
    raw = raw.strip()
    if kind == "iri":
        iri = expand(raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw)
        if not _IRI.match(iri):
            return None
        try:
            return ox.NamedNode(iri)
        except ValueError:
            return None
    if kind == "string":
        return ox.Literal(raw)
    if kind == "langstring":
        text, at, language = raw.rpartition("@")
        return ox.Literal(text, language=language) if at and _LANGUAGE_TAG.match(language) else None
    if kind in ("integer", "year"):
        pattern = r"^\d{4}$" if kind == "year" else r"^[+-]?\d+$"
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer")) if re.match(pattern, raw) else None
    if kind == "decimal":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return None
        return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "decimal")) if number.is_finite() else None
    if kind == "date":
        try:
            return ox.Literal(datetime.date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(XSD + "date")) \
                if re.match(r"^\d{4}-\d{2}-\d{2}$", raw) else None
        except ValueError:
            return None
    return None
