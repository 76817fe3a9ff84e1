"""What is wrong with a person's Cypher, said so they can fix it: the kind of problem, where it is (line and
column, the line shown with a caret), the name that is wrong and the closest names the schema has.

Two sources, one answer (:class:`Diagnosis`):

- the engine's message, LadybugDB's or Neo4j's (:func:`diagnose`): its position (``line: 1, offset: 47``,
  ``line 2, column 8 (offset: 24)``) and the name it did not know (``Table Agncy does not exist``,
  ``Cannot find property nam for a``, ``Variable `b` not defined``), with the error's class from
  graph.errors for the kinds the stores already tell apart (a write refused, a timeout, a result too large);
- the query read against the schema (:func:`unknown_names`): Neo4j runs a query that names a label, a
  relationship type or a property the graph does not have, and answers nothing; the console then says
  which name is unknown, and what was probably meant.

The schema is graph.schema's (:func:`schema_names`), the one schema. Nothing here runs a query.

>>> query = "MATCH (a:Agncy) RETURN a.name"
>>> found = diagnose(QuerySyntaxError("Binder exception: Table Agncy does not exist."), query)
>>> found.kind, found.name, found.suggestions, found.position(query)
('unknown-label', 'Agncy', ('Agency', 'AgencyKind'), (1, 10))
>>> print(found.excerpt(query))
MATCH (a:Agncy) RETURN a.name
         ^^^^^
>>> found.replaced(query, "Agency")
'MATCH (a:Agency) RETURN a.name'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from graph.errors import QuerySyntaxError, QueryTimeout, ReadOnlyError, ResultTooLarge

#: the kinds of problem, each with its words in data/ui/console.toml (console.problem.<kind>)
KINDS = ("syntax", "unknown-label", "unknown-relationship", "unknown-property", "unknown-variable",
         "unknown-function", "missing-parameter", "write-refused", "timeout", "too-large", "other")

#: words of Cypher a misspelt word is compared with (MATC → MATCH)
KEYWORDS = ("MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "AS", "ORDER", "BY", "SKIP", "LIMIT",
            "DISTINCT", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "STARTS", "ENDS", "CONTAINS", "CASE", "WHEN",
            "THEN", "ELSE", "END", "ASC", "DESC", "ASCENDING", "DESCENDING", "UNION", "ALL", "EXISTS", "TRUE",
            "FALSE", "CALL", "YIELD")
#: functions both engines know, for a misspelt one
FUNCTIONS = ("count", "collect", "sum", "avg", "min", "max", "size", "length", "nodes", "relationships", "labels",
             "label", "type", "id", "keys", "properties", "coalesce", "toLower", "toUpper", "lower", "upper",
             "toString", "toInteger", "toFloat", "trim", "substring", "replace", "split", "head", "last", "range",
             "shortestPath", "startNode", "endNode", "abs", "round", "floor", "ceil", "exists", "reverse")


# --------------------------------------------------------------------------------------------- the schema

@dataclass(frozen=True)
class Schema:
    """The names a query may use: node labels and relationship types, each with its properties."""

    labels: Mapping[str, tuple[str, ...]]
    relationships: Mapping[str, tuple[str, ...]]

    def properties_of(self, names: Iterable[str]) -> tuple[str, ...]:
        """The properties of these labels or types together; every property of the schema for none."""
        names = list(names)
        tables = [self.labels.get(n, self.relationships.get(n, ())) for n in names] if names else [
            *self.labels.values(), *self.relationships.values()]
        return tuple(sorted({p for props in tables for p in props}))

    def as_dict(self) -> dict[str, dict[str, list[str]]]:
        """What the editor component takes: ``{"labels": {…}, "relationships": {…}}``."""
        return {"labels": {k: list(v) for k, v in self.labels.items()},
                "relationships": {k: list(v) for k, v in self.relationships.items()}}


@cache
def schema_names() -> Schema:
    """graph.schema's labels (the graph's nodes and the stored corrections) and relationship types, with
    their properties in the order the models declare them.

    >>> names = schema_names()
    >>> list(names.labels)[:4], names.labels["Agency"][:3], list(names.relationships)[2]
    (['Document', 'Section', 'Action', 'Agency'], ('id', 'name', 'aliases'), 'LEADS')
    """
    from graph import schema

    models = (*schema.NODES.values(), *schema.BOOKKEEPING_MODELS)
    return Schema(labels={m.label: tuple(schema.properties(m)) for m in models},
                  relationships={t: tuple(schema.properties(m)) for t, m in schema.RELATIONSHIPS.items()})


# --------------------------------------------------------------------------------------------- reading a query

@dataclass(frozen=True)
class Token:
    kind: str  # word, param, string, number, punct
    text: str  # a backquoted name without its backquotes
    start: int
    end: int


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<param>\$\w*)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>\.\.|<>|<=|>=|=~|->|<-|.)
""", re.VERBOSE | re.DOTALL)


def tokens(query: str) -> list[Token]:
    """The query's words, parameters, strings, numbers and punctuation, comments and spaces left out.

    >>> [(t.kind, t.text) for t in tokens("MATCH (a:`My Label`) // x\\nRETURN $p, 'it''s'")][:6]
    [('word', 'MATCH'), ('punct', '('), ('word', 'a'), ('punct', ':'), ('word', 'My Label'), ('punct', ')')]
    """
    found = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        text = match.group()
        if kind == "quoted":
            kind, text = "word", text[1:-1].replace("``", "`") if text.endswith("`") and len(text) > 1 else text[1:]
        found.append(Token(kind, text, match.start(), match.end()))
    return found


@dataclass(frozen=True)
class Use:
    """A name the query uses: a label, a relationship type, a property (``of`` its variable) or a bound variable."""

    kind: str  # label, relationship, property, variable
    name: str
    start: int
    end: int
    of: str | None = None


@dataclass
class _Open:
    bracket: str
    call: bool = False  # a function's parentheses, not a pattern
    variable: str | None = None
    labels: list[str] = field(default_factory=list)


def uses(query: str) -> list[Use]:
    """Every label, relationship type, property and bound variable the query names, where it names it.

    >>> [(u.kind, u.name, u.of) for u in uses("MATCH (a:Agency {name: $n})-[r:LEADS|SUPPORTS]->(x) RETURN a.city AS c")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('variable', 'a', None), ('label', 'Agency', None), ('property', 'name', 'a'), ('variable', 'r', None),
     ('relationship', 'LEADS', None), ('relationship', 'SUPPORTS', None), ('variable', 'x', None),
     ('property', 'city', 'a'), ('variable', 'c', None)]
    """
    toks = tokens(query)
    found: list[Use] = []
    stack: list[_Open] = []

    def at(i: int) -> Token | None:
        return toks[i] if 0 <= i < len(toks) else None

    i = 0
    while i < len(toks):
        tok = toks[i]
        prev, nxt = at(i - 1), at(i + 1)
        if tok.kind == "punct" and tok.text in "([{":
            call = tok.text == "(" and prev is not None and prev.kind == "word" and prev.text.upper() not in (
                "MATCH", "WHERE", "AND", "OR", "NOT", "XOR", "MERGE", "CREATE", "EXISTS")
            call = call or (tok.text == "[" and (prev is None or prev.text not in ("-", "<-")))  # a list
            opened = _Open(tok.text, call=call)
            if tok.text in "([" and not call and nxt is not None and nxt.kind == "word" and at(i + 2) is not None \
                    and at(i + 2).text in (":", ")", "]", "{"):
                opened.variable = nxt.text
                found.append(Use("variable", nxt.text, nxt.start, nxt.end))
                i += 1
            stack.append(opened)
        elif tok.kind == "punct" and tok.text in ")]}":
            if stack:
                stack.pop()
        elif tok.kind == "punct" and tok.text == ":":
            top = stack[-1] if stack else None
            if nxt is None or (nxt.kind != "word" and (top is None or top.bracket != "{")):
                pass
            elif top is not None and top.bracket == "{":
                owner = stack[-2] if len(stack) > 1 else None
                if owner is not None and owner.bracket in "([" and not owner.call and prev is not None \
                        and prev.kind == "word":
                    found.append(Use("property", prev.text, prev.start, prev.end, owner.variable))
            else:
                kind = "relationship" if top is not None and top.bracket == "[" and not top.call else "label"
                j = i + 1
                while at(j) is not None and at(j).kind == "word":
                    name = at(j)
                    found.append(Use(kind, name.text, name.start, name.end))
                    if top is not None and top.bracket in "([":
                        top.labels.append(name.text)
                    if at(j + 1) is not None and at(j + 1).text in ("|", "&", ":"):
                        j += 2 if at(j + 2) is not None and at(j + 2).text != ":" else 3
                        continue
                    break
                i = j
        elif tok.kind == "punct" and tok.text == "." and prev is not None and prev.kind == "word" \
                and nxt is not None and nxt.kind == "word" and (at(i - 2) is None or at(i - 2).text != "."):
            found.append(Use("property", nxt.text, nxt.start, nxt.end, prev.text))
            i += 1
        elif tok.kind == "word" and tok.text.upper() == "AS" and nxt is not None and nxt.kind == "word":
            found.append(Use("variable", nxt.text, nxt.start, nxt.end))
            i += 1
        i += 1
    return found


def bound_labels(query: str) -> dict[str, set[str]]:
    """Variable -> the labels or types its patterns give it (an empty set: bound in a pattern without one).

    >>> sorted((k, sorted(v)) for k, v in bound_labels("MATCH (a:Agency)-[r:LEADS]->(x) WITH a AS b").items())
    [('a', ['Agency']), ('r', ['LEADS']), ('x', [])]
    """
    bound: dict[str, set[str]] = {}
    toks = tokens(query)
    for index, tok in enumerate(toks):
        if tok.kind != "word" or index == 0 or toks[index - 1].text not in ("(", "["):
            continue
        before = toks[index - 2] if index > 1 else None
        if toks[index - 1].text == "[" and (before is None or before.text not in ("-", "<-")):
            continue  # a list, not a relationship
        if toks[index - 1].text == "(" and before is not None and before.kind == "word" and before.text.upper() not in (
                "MATCH", "WHERE", "AND", "OR", "NOT", "XOR", "MERGE", "CREATE"):
            continue  # a function's argument
        after = toks[index + 1] if index + 1 < len(toks) else None
        if after is None or after.text not in (":", ")", "]", "{"):
            continue
        labels = bound.setdefault(tok.text, set())
        j = index + 1
        while j + 1 < len(toks) and toks[j].text in (":", "|", "&") and toks[j + 1].kind in ("word", "punct"):
            if toks[j + 1].kind == "word":
                labels.add(toks[j + 1].text)
                j += 2
            else:
                j += 1
    return bound


# --------------------------------------------------------------------------------------------- the answer

@dataclass(frozen=True)
class Diagnosis:
    """One problem of a query: its kind (:data:`KINDS`), the name in question, the place of the wrong text
    (offsets ``start``–``end``), the names that would fit, and the engine's own text."""

    kind: str
    name: str | None = None
    start: int | None = None
    end: int | None = None
    suggestions: tuple[str, ...] = ()
    of: str | None = None  # a property's variable, with its labels: "a (Agency)"
    engine: str = ""

    def position(self, query: str) -> tuple[int, int] | None:
        """(line, column), both from 1, of the wrong text."""
        if self.start is None:
            return None
        before = query[:self.start]
        return before.count("\n") + 1, self.start - (before.rfind("\n") + 1) + 1

    def excerpt(self, query: str) -> str:
        """The query's line with the wrong text, and a caret line under it ('' without a place)."""
        if self.start is None:
            return ""
        line_start = query.rfind("\n", 0, self.start) + 1
        line_end = query.find("\n", self.start)
        line = query[line_start:line_end if line_end >= 0 else len(query)]
        width = max(1, min(self.end or self.start, line_start + len(line)) - self.start)
        prefix = "".join("\t" if c == "\t" else " " for c in query[line_start:self.start])
        return f"{line}\n{prefix}{'^' * width}"

    def replaced(self, query: str, suggestion: str) -> str:
        """The query with the wrong text replaced by ``suggestion``."""
        if self.start is None or self.end is None:
            return query
        return query[:self.start] + suggestion + query[self.end:]


def closest(name: str, names: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """The names most like ``name``: one that differs only in case first, then difflib's nearest.

    >>> closest("agency", ["Agency", "AgencyKind", "Action"]), closest("LEDS", ["LEADS", "SUPPORTS"])
    (('Agency', 'AgencyKind'), ('LEADS',))
    """
    by_lower: dict[str, str] = {}
    for candidate in names:
        by_lower.setdefault(candidate.lower(), candidate)
    found = [by_lower[name.lower()]] if name.lower() in by_lower and by_lower[name.lower()] != name else []
    found += [by_lower[m] for m in difflib.get_close_matches(name.lower(), list(by_lower), n=n + 1, cutoff=0.6)]
    return tuple(c for c in dict.fromkeys(found) if c != name)[:n]


def _find(query: str, found: list[Use], kind: str | None, name: str, of: str | None = None) -> Use | None:
    for use in found:
        if (kind is None or use.kind == kind) and use.name.lower() == name.lower() and (of is None or use.of == of):
            return use
    return None


def _word_at(query: str, offset: int) -> Token | None:
    for tok in tokens(query):
        if tok.start <= offset < tok.end or (tok.start >= offset and tok.kind != "punct"):
            return tok
    return None


def _first_word(query: str, word: str) -> Token | None:
    return next((t for t in tokens(query) if t.kind == "word" and t.text.upper() == word.upper()), None)


def _property(query: str, found: list[Use], name: str, variable: str | None, schema: Schema,
              engine: str = "") -> Diagnosis:
    bound = bound_labels(query)
    labels = sorted(bound.get(variable, set())) if variable else []
    use = _find(query, found, "property", name, variable) or _find(query, found, "property", name)
    of = f"{variable} ({'|'.join(labels)})" if variable and labels else variable
    return Diagnosis("unknown-property", name, use.start if use else None, use.end if use else None,
                     closest(name, schema.properties_of(labels)), of=of, engine=engine)


def _named(query: str, found: list[Use], name: str, schema: Schema, engine: str) -> Diagnosis:
    """A table the engine does not know: a label or a relationship type, as the query uses it."""
    use = _find(query, found, "relationship", name) or _find(query, found, "label", name)
    if use is not None and use.kind == "relationship":
        return Diagnosis("unknown-relationship", use.name, use.start, use.end,
                         closest(use.name, schema.relationships), engine=engine)
    return Diagnosis("unknown-label", use.name if use else name, use.start if use else None,
                     use.end if use else None, closest(name, schema.labels), engine=engine)


def _offset(query: str, line: int, column: int) -> int:
    """The offset of (line, column), both from 1 (a column past the line's end: its end)."""
    lines = query.split("\n")
    line = min(max(line, 1), len(lines))
    return sum(len(text) + 1 for text in lines[:line - 1]) + min(max(column - 1, 0), len(lines[line - 1]))


#: what the Neo4j store puts before a person's query to read its plan first (graph/neo4j_store.py): the
#: server's columns on the first line count it
NEO4J_PREFIX = "EXPLAIN "


def _neo4j_offset(query: str, line: int, column: int, expect: str | None) -> int:
    """The offset of Neo4j's (line, column): as said, or less the store's ``EXPLAIN`` on the first line;
    the one where ``expect`` (the text the message quotes) is, else the one within the line.

    >>> q = "MATC (a) RETURN a"
    >>> _neo4j_offset(q, 1, 9, "MATC"), _neo4j_offset(q, 1, 1, "MATC"), _neo4j_offset("RETURN b", 1, 16, None)
    (0, 0, 7)
    """
    said = _offset(query, line, column)
    if line != 1 or column <= len(NEO4J_PREFIX):
        return said
    shifted = _offset(query, line, column - len(NEO4J_PREFIX))
    if expect:
        for offset in (said, shifted):
            if query[offset:offset + len(expect)].lower() == expect.lower():
                return offset
    return shifted


def _syntax(query: str, offset: int | None, engine: str, token: str | None = None) -> Diagnosis:
    if offset is None:
        word = _first_word(query, token) if token and re.fullmatch(r"\w+", token) else None
        offset = word.start if word else None
    if offset is None:
        return Diagnosis("syntax", engine=engine)
    tok = _word_at(query, offset)
    if tok is not None and tok.kind == "word" and tok.text.upper() not in KEYWORDS:
        close = difflib.get_close_matches(tok.text.upper(), KEYWORDS, n=3, cutoff=0.6)
        return Diagnosis("syntax", tok.text, tok.start, tok.end, tuple(close), engine=engine)
    if tok is not None:
        return Diagnosis("syntax", tok.text, tok.start, tok.end, engine=engine)
    return Diagnosis("syntax", None, offset, offset + 1, engine=engine)


def diagnose(error: BaseException | str, query: str, schema: Schema | None = None,
             given: Sequence[str] = ()) -> Diagnosis:
    """What the engine's error says about ``query``, as a :class:`Diagnosis`; ``given``: the parameters given.

    LadybugDB:

    >>> q = "MATCH (a:Agency) RETURN a.name AS n ORDER BY n LIMT 3"
    >>> d = diagnose(QuerySyntaxError("Parser exception: Invalid input < LIMT>: expected rule iC_Statements "
    ...                               "(line: 1, offset: 47)"), q)
    >>> d.kind, d.name, d.suggestions, d.position(q)
    ('syntax', 'LIMT', ('LIMIT',), (1, 48))
    >>> q = "MATCH (a:Agency)-[r:LEADS]->(x:Action)\\nRETURN r.bass"
    >>> d = diagnose(QuerySyntaxError("Binder exception: Cannot find property bass for r."), q)
    >>> d.kind, d.of, d.suggestions, d.position(q)
    ('unknown-property', 'r (LEADS)', ('basis',), (2, 10))

    Neo4j:

    >>> q = "MATCH (a:Agency)\\nRETURN b"
    >>> d = diagnose(QuerySyntaxError("Variable `b` not defined (line 2, column 8 (offset: 32))"), q)
    >>> d.kind, d.name, d.suggestions, d.position(q)
    ('unknown-variable', 'b', ('a',), (2, 8))
    >>> d = diagnose(QuerySyntaxError("Invalid input 'MATC': expected 'ALTER' (line 1, column 9 (offset: 8))"),
    ...              "MATC (a) RETURN a")
    >>> d.kind, d.name, d.suggestions
    ('syntax', 'MATC', ('MATCH',))

    The stores' own kinds:

    >>> diagnose(ReadOnlyError("policykg cypher is read-only: DETACH is not allowed"),
    ...          "MATCH (a) DETACH DELETE a").position("MATCH (a) DETACH DELETE a")
    (1, 11)
    >>> diagnose(QueryTimeout("the query ran longer than 1 s and was stopped"), "RETURN 1").kind
    'timeout'
    """
    schema = schema or schema_names()
    engine = str(error).strip()
    first = engine.splitlines()[0] if engine else ""
    found = uses(query)
    if isinstance(error, ReadOnlyError):
        word = re.search(r": (?:CALL )?([A-Za-z_]+)\b[^:]* (?:is not allowed|changes)", first)
        tok = _first_word(query, word.group(1)) if word else None
        return Diagnosis("write-refused", tok.text if tok else None, tok.start if tok else None,
                         tok.end if tok else None, engine=engine)
    if isinstance(error, QueryTimeout):
        return Diagnosis("timeout", engine=engine)
    if isinstance(error, ResultTooLarge):
        return Diagnosis("too-large", engine=engine)
    # LadybugDB (Kùzu's messages)
    if match := re.search(r"Table (\S+) does not exist", first):
        return _named(query, found, match.group(1), schema, engine)
    if match := re.search(r"Cannot find property (\S+) for (\S+?)\.?$", first):
        return _property(query, found, match.group(1), match.group(2), schema, engine)
    # both
    if match := re.search(r"Variable `?([^`\s]+?)`? (?:is not in scope|not defined)", first):
        name = match.group(1)
        variables = sorted({u.name for u in found if u.kind == "variable"} - {name})
        tok = next((t for t in tokens(query) if t.kind == "word" and t.text == name), None)
        position = re.search(r"\(line (\d+), column (\d+)", first)
        start = _neo4j_offset(query, int(position.group(1)), int(position.group(2)), name) if position else (
            tok.start if tok else None)
        return Diagnosis("unknown-variable", name, start, start + len(name) if start is not None else None,
                         closest(name, variables) or tuple(variables[:3]), engine=engine)
    if match := (re.search(r"Parameter (\S+) not found", first) or re.search(r"Expected parameter\(s\): (\w+)", first)):
        name = match.group(1)
        tok = next((t for t in tokens(query) if t.kind == "param" and t.text[1:] == name), None)
        return Diagnosis("missing-parameter", name, tok.start + 1 if tok else None, tok.end if tok else None,
                         closest(name, given), engine=engine)
    if match := (re.search(r"function (\S+) does not exist", first) or re.search(r"Unknown function '([^']+)'", first)):
        name = match.group(1)
        tok = next((t for t in tokens(query) if t.kind == "word" and t.text.lower() == name.lower()
                    and query[t.end:].lstrip().startswith("(")), None)
        return Diagnosis("unknown-function", tok.text if tok else name, tok.start if tok else None,
                         tok.end if tok else None, closest(tok.text if tok else name, FUNCTIONS), engine=engine)
    if position := re.search(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)", first):  # Neo4j
        token = re.search(r"Invalid input '([^']*)'", first)
        return _syntax(query, _neo4j_offset(query, int(position.group(1)), int(position.group(2)),
                                            token.group(1) if token else None), engine)
    if position := re.search(r"\(line: (\d+), offset: (\d+)\)", first):  # LadybugDB: the offset is in the line
        return _syntax(query, _offset(query, int(position.group(1)), int(position.group(2)) + 1), engine)
    if isinstance(error, QuerySyntaxError) or first.startswith(("Parser exception", "Binder exception")):
        unknown = unknown_names(query, schema)
        return unknown[0] if unknown else Diagnosis("syntax", engine=engine)
    return Diagnosis("other", engine=engine)


def unknown_names(query: str, schema: Schema | None = None) -> list[Diagnosis]:
    """The labels, relationship types and properties ``query`` names that the schema does not have, each
    with the closest names; a property only of a variable a pattern binds (a map's keys are anyone's).

    >>> [(d.kind, d.name, d.suggestions) for d in unknown_names(
    ...     "MATCH (a:Agncy)-[:LEDS]->(x:Action) WHERE x.titel = 'x' RETURN a.name, row.whatever")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('unknown-label', 'Agncy', ('Agency', 'AgencyKind')), ('unknown-relationship', 'LEDS', ('LEADS',)),
     ('unknown-property', 'titel', ('title',))]
    >>> unknown_names("MATCH (a:Agency {nme: $n}) RETURN a")[0].suggestions
    ('name',)
    """
    schema = schema or schema_names()
    bound = bound_labels(query)
    problems = []
    for use in uses(query):
        if use.kind == "label" and use.name not in schema.labels:
            problems.append(Diagnosis("unknown-label", use.name, use.start, use.end, closest(use.name, schema.labels)))
        elif use.kind == "relationship" and use.name not in schema.relationships:
            problems.append(Diagnosis("unknown-relationship", use.name, use.start, use.end,
                                      closest(use.name, schema.relationships)))
        elif use.kind == "property" and use.of in bound:
            labels = sorted(bound[use.of])
            if any(label not in schema.labels and label not in schema.relationships for label in labels):
                continue  # an unknown label is said already; its properties cannot be known
            allowed = schema.properties_of(labels)
            if use.name not in allowed:
                of = f"{use.of} ({'|'.join(labels)})" if labels else use.of
                problems.append(Diagnosis("unknown-property", use.name, use.start, use.end,
                                          closest(use.name, allowed), of=of))
    return problems


# ------------------------------------------------------------------------------------- named queries' parameters

#: what queries.resolve and queries.runner say of a parameter, by the words their message starts with
_PARAMETER_PROBLEMS = (
    ("no agency named ", "agency"), ("no loaded document is of the city ", "city"), ("no agency kind ", "kind"),
    ("no loaded document ", "document"), ("no action numbered or titled ", "action"),
    ("no district named ", "district"),
)


@dataclass(frozen=True)
class ParameterProblem:
    """A named query's parameter that names nothing (or is missing, or of the wrong form): which one, what
    was given, and the closest names the store has (queries.resolve's ``closest``)."""

    kind: str  # agency, city, kind, document, action, district, number, entity-type, missing, unknown, other
    param: str | None = None
    value: str | None = None
    within: str | None = None  # the city an agency was looked for in
    closest: tuple[str, ...] = ()


def parameter_problem(message: str, given: Mapping[str, object]) -> ParameterProblem:
    """What a QueryParameterError of queries.runner says, for a page to say it in its own words and offer
    the closest names; ``given``: the parameters as the person gave them (to tell which one it was).

    >>> parameter_problem("no agency named '市科技厅'; closest: 市科技局, 鄂州市科技局", {"agency": "市科技厅"})
    ParameterProblem(kind='agency', param='agency', value='市科技厅', within=None, closest=('市科技局', '鄂州市科技局'))
    >>> parameter_problem("no agency named '市科局' in 鄂州市", {"from": "市科局", "city": "鄂州市"}).within
    '鄂州市'
    >>> parameter_problem("agency-path needs --param to=… (the other agency)", {}).kind
    'missing'
    """
    line = message.strip().splitlines()[0] if message.strip() else ""
    rest, _, close = line.partition("; closest: ")
    closest_names = tuple(name.strip() for name in close.split(", ") if name.strip()) if close else ()
    for prefix, kind in _PARAMETER_PROBLEMS:
        if rest.startswith(prefix):
            quoted = re.match(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?: in (.+))?$""", rest[len(prefix):])
            value = quoted.group(1)[1:-1] if quoted else rest[len(prefix):]
            within = quoted.group(2) if quoted else None
            param = next((k for k, v in given.items() if str(v).strip() == value), None)
            return ParameterProblem(kind, param, value, within, closest_names)
    if match := re.match(r"(\S+) must be a whole number, not (.+)$", rest):
        return ParameterProblem("number", match.group(1), match.group(2).strip("'\""))
    if match := re.match(r"(\S+) must be one of (.+), not (.+)$", rest):
        return ParameterProblem("entity-type", match.group(1), match.group(3).strip("'\""),
                                closest=tuple(match.group(2).split(", ")))
    if match := re.match(r"\S+ needs --param (\S+?)=", rest):
        return ParameterProblem("missing", match.group(1))
    if match := re.match(r"\S+ has no parameter (.+?) \(parameters: (.*)\)$", rest):
        return ParameterProblem("unknown", match.group(1), closest=tuple(match.group(2).split(", ")))
    return ParameterProblem("other")
