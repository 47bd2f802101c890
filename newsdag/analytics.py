"""Named queries: documented SQL files in ``newsdag/queries`` run with bound parameters.

Each ``<name>.sql`` starts with a comment header::

    -- name: top_speakers
    -- description: what the result answers
    -- param: limit = 20 | what the parameter does
    -- param: bucket = 'month' one of day, week, month | a parameter with fixed choices
    -- param: context = 160 at least 0 | a number with a lower bound

A parameter without a default is required; the default's Python literal type (int,
float, str, bool) is the type a value given as text is converted to. Values reach
DuckDB as bound named parameters (``$limit``), never as SQL text, so a value holding a
quote or SQL is matched as data.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pyarrow as pa

from newsdag.catalog import connect
from newsdag.errors import NewsdagError, ParamMessages
from newsdag.store import Store

_HEADER = re.compile(r"^--\s*(name|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*(?:=\s*(?P<default>[^|]+?))?"
    r"(?:\s+at least\s+(?P<minimum>-?\d+(?:\.\d+)?))?"
    r"(?:\s+one of\s+(?P<choices>[^|]+?))?\s*(?:\|\s*(?P<doc>.*))?$"
)
_PLACEHOLDER = re.compile(r"\$([A-Za-z_]\w*)")
_KINDS = {int: "an integer", float: "a number", str: "text", bool: "true or false"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class QueryError(NewsdagError):
    """A named query that does not exist, is malformed, or got a bad parameter."""


@dataclass(frozen=True)
class Param:
    """One ``-- param:`` line: its default also fixes the type a text value is read as."""

    name: str
    default: Any = None
    doc: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def type(self) -> type:
        return str if self.default is None else type(self.default)

    def convert(self, raw: str) -> Any:
        """The text ``raw`` as this parameter's type (the type of its default)."""
        if self.required and not raw.strip():
            raise QueryError(ParamMessages.EMPTY_REQUIRED.format(name=self.name, doc=self.doc))
        if self.choices:
            if raw in self.choices:
                return raw
            raise QueryError(f"parameter {self.name!r} must be one of {', '.join(self.choices)}; got {raw!r}")
        if self.type is bool:
            if raw.lower() in _TRUE | _FALSE:
                return raw.lower() in _TRUE
        else:
            try:
                return self.check(self.type(raw))
            except ValueError:
                pass
        raise QueryError(f"parameter {self.name!r} expects {_KINDS[self.type]}, got {raw!r}")

    def check(self, value: Any) -> Any:
        """``value`` if it is within the parameter's bound, else a QueryError."""
        if self.minimum is not None and isinstance(value, (int, float)) and value < self.minimum:
            shown = int(self.minimum) if float(self.minimum).is_integer() else self.minimum
            raise QueryError(ParamMessages.BELOW_MINIMUM.format(name=self.name, minimum=shown, value=value))
        return value

    def describe(self) -> str:
        """One line for listings: name, default or 'required', choices, and purpose."""
        default = "required" if self.required else f"default {self.default!r}"
        choices = f"; one of {', '.join(self.choices)}" if self.choices else ""
        if self.minimum is not None:
            choices += f"; at least {int(self.minimum) if float(self.minimum).is_integer() else self.minimum}"
        return f"{self.name} ({default}{choices}): {self.doc}"


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its header, read once, and its SQL sent to DuckDB unchanged."""

    name: str
    description: str
    params: tuple[Param, ...]
    sql: str

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Every parameter's value: ``given`` (text is converted) over the defaults."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters: {', '.join(known) or 'none'}"
            )
        values = {}
        for p in self.params:
            if p.name in given:
                value = given[p.name]
                values[p.name] = p.convert(value) if isinstance(value, str) else p.check(value)
            elif p.required:
                raise QueryError(f"query {self.name!r} needs --param {p.name}=VALUE ({p.doc})")
            else:
                values[p.name] = p.default
        return values


def parse_query(name: str, text: str) -> NamedQuery:
    """Read a named query's header; its ``$placeholders`` must match its declared params."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(name, value))
        else:
            fields[key] = value
    if fields.get("name") != name:
        raise QueryError(f"query file {name}.sql must start with '-- name: {name}'")
    if not fields.get("description"):
        raise QueryError(f"query {name!r} has no '-- description:' line")
    declared = {p.name for p in params}
    used = set(_PLACEHOLDER.findall(text))
    if declared != used:
        raise QueryError(
            f"query {name!r} declares parameters {sorted(declared)} but its SQL uses {sorted(used)}"
        )
    return NamedQuery(name, fields["description"], tuple(params), text)


def _parse_param(query: str, spec: str) -> Param:
    match = _PARAM.match(spec)
    if not match:
        raise QueryError(f"query {query!r}: cannot read parameter line {spec!r}")
    default = match["default"]
    try:
        value = None if default is None else ast.literal_eval(default)
    except (ValueError, SyntaxError):
        raise QueryError(f"query {query!r}: default of {match['name']!r} is not a literal: {default!r}") from None
    if value is not None and type(value) not in _KINDS:
        raise QueryError(f"query {query!r}: default of {match['name']!r} must be a number, text or a boolean")
    choices = tuple(c.strip() for c in (match["choices"] or "").split(",") if c.strip())
    if choices and value not in choices:
        raise QueryError(f"query {query!r}: default of {match['name']!r} is not one of its choices")
    minimum = None if match["minimum"] is None else float(match["minimum"])
    if minimum is not None and not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= minimum):
        raise QueryError(ParamMessages.BAD_MINIMUM.format(query=query, name=match["name"]))
    return Param(match["name"], value, match["doc"] or "", choices, minimum)


def available() -> dict[str, NamedQuery]:
    """Every named query shipped in ``newsdag/queries``, by name."""
    folder = resources.files("newsdag") / "queries"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return {f.name[:-4]: parse_query(f.name[:-4], f.read_text("utf-8")) for f in files}


def get(name: str) -> NamedQuery:
    """The named query ``name``, or a QueryError listing the available ones."""
    queries = available()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; available: {', '.join(queries)}")
    return queries[name]


def run_query(store: Store, name: str, params: dict[str, Any] | None = None) -> pa.Table:
    """Run the named query against the data dir's views, read-only, with bound parameters."""
    query = get(name)
    values = query.bind(params or {})
    with connect(store) as con:
        return con.sql(query.sql, params=values).to_arrow_table()


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` from the command line as a dict; the value may itself hold '='."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param expects NAME=VALUE, got {pair!r}")
        if key.strip() in values:
            raise QueryError(ParamMessages.REPEATED.format(name=key.strip(), first=values[key.strip()], second=value))
        values[key.strip()] = value
    return values
