"""Read-only guard for people's Cypher: one read statement, or nothing reaches a store.

The stores enforce read-only access themselves (a read-only embedded database or
transaction, Neo4j's READ access mode and the planner's query type). What they do
not stop is what this guard is for: LadybugDB's ``CALL name = value`` settings and
table functions that read files, transaction control and ``COMMENT`` after a ``;``,
Neo4j's ``SHOW`` and ``TERMINATE`` commands and procedures not known to be read-only.

The query is read the way each engine reads it — its strings, backticked names,
comments and escapes — and every reading must pass:

- LadybugDB 0.22 (its ANTLR lexer: ``\\u`` escapes only inside strings, only the escapes
  it knows, a ``//`` comment must end in a line feed, and ``/* **/`` does not close a
  comment because a ``*`` inside one takes the character after it);
- Neo4j (backslash and any character in a string, ``//`` ends at ``\\r`` or ``\\n``);
- Neo4j 5's parser, which decodes ``\\uXXXX`` everywhere before it reads anything,
  so ``\\u0027`` can close a string and ``\\u000a`` can end a comment.

On the tokens of each reading the guard allows one shape: an optional ``EXPLAIN``, then
a statement whose first clause is MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL, at
most one trailing ``;`` and nothing after it. A bare word that begins a writing or
administrative clause in either engine is refused wherever it could be that keyword
(one of LadybugDB's statement-only words, such as COMMENT, wherever a statement could
begin); the same word as a property key (``n.set``), map key or variable with a label
(``{set: 1}``, ``(set:Agency)``), parameter, string or backticked name is a name.
Every ``CALL`` must open a subquery or name a procedure on a short allow-list, its
name read from plain or backticked parts joined by dots, case-insensitively;
``CALL name = value`` is always refused. Namespaced functions other than Neo4j's
built-in temporal, spatial and vector ones are refused (``apoc.cypher.run…`` runs Cypher).

>>> check_read_only("MATCH (a:Agency) WHERE a.name = 'SET' RETURN a.name AS `create`")
>>> check_read_only("MATCH (a) DETACH DELETE a")
Traceback (most recent call last):
...
graph.errors.ReadOnlyError: policykg cypher is read-only: DETACH is not allowed
>>> check_read_only("CALL `timeout`=0")
Traceback (most recent call last):
...
graph.errors.ReadOnlyError: policykg cypher is read-only: CALL timeout = … changes a setting
>>> check_read_only("MATCH (n) RETURN count(n); COMMIT")
Traceback (most recent call last):
...
graph.errors.ReadOnlyError: policykg cypher is read-only: one statement at a time: nothing may follow ';'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from graph.errors import ReadOnlyError

PREFIX = "policykg cypher is read-only: "

# What a query may start with, after an optional EXPLAIN.
FIRST_CLAUSES = ("MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL")

# Every word that begins a statement or a clause in either engine (from their grammars and the
# lists of expected words their parsers print) and does more than read, refused wherever it could
# be that keyword. Reading clauses — MATCH, OPTIONAL, WITH, UNWIND, RETURN, CALL (checked below),
# UNION, WHERE, ORDER, SKIP, LIMIT, OFFSET, YIELD, USING (hints), FINISH — are not here.
REFUSED_WORDS = frozenset({
    # both engines
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "DROP", "ALTER", "LOAD", "USE", "COMMIT",
    # Neo4j 5: updates, LOAD CSV, administration, transactions
    "REMOVE", "FOREACH", "INSERT", "NODETACH", "GRANT", "DENY", "REVOKE", "RENAME", "SHOW", "TERMINATE",
    "START", "STOP", "ENABLE", "DEALLOCATE", "REALLOCATE", "DRYRUN", "PERIODIC", "TRANSACTION", "TRANSACTIONS",
    # Query options. EXPLAIN plans without running and is allowed as the first word only.
    # PROFILE runs the query: on LadybugDB a PROFILE of a MERGE crashed the engine, a read gains
    # only timings, and Neo4jStore checks a plan by prefixing EXPLAIN, which PROFILE conflicts with.
    # CYPHER options (runtime, planner, replan) are not needed for reading.
    "EXPLAIN", "PROFILE", "CYPHER",
})
# LadybugDB's statements that are nothing else: files, extensions, other databases, statistics,
# comments, transaction control. LadybugDB has no subqueries that could hold them and Neo4j no
# such keywords, so with one statement allowed they can only be its first word; anywhere else
# they are names (CALL show_tables() RETURN name, comment).
STATEMENT_WORDS = frozenset({
    "COPY", "INSTALL", "UNINSTALL", "FORCE", "UPDATE", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT", "ANALYZE",
    "COMMENT", "BEGIN", "ROLLBACK", "COMMIT_SKIP_CHECKPOINT", "ROLLBACK_SKIP_CHECKPOINT",
})

# Procedures (Neo4j) and table functions (LadybugDB) that only read the schema or an index; every
# one checked read-only (Neo4j's SHOW PROCEDURES gives mode READ) and, on LadybugDB, to fail
# cleanly on wrong arguments. query_fts_index needs LadybugDB's FTS extension, which policykg
# never loads (and LOAD is refused): it answers "not defined".
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties", "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "show_tables", "table_info", "show_connection", "query_fts_index",
})
# Neo4j's built-in namespaced functions that compute values (SHOW FUNCTIONS on 5.26). LadybugDB
# has no namespaced functions; plugins' functions (apoc.*) are refused.
READ_FUNCTIONS = frozenset(
    [f"{kind}.{name}" for kind in ("date", "datetime", "localdatetime", "localtime", "time")
     for name in ("realtime", "statement", "transaction", "truncate")]
    + ["datetime.fromepoch", "datetime.fromepochmillis", "duration.between", "duration.inDays",
       "duration.inMonths", "duration.inSeconds", "point.distance", "point.withinBBox",
       "vector.similarity.cosine", "vector.similarity.euclidean"])
_READ_PROCEDURES = {name.lower(): name for name in READ_PROCEDURES}
_READ_FUNCTIONS = {name.lower() for name in READ_FUNCTIONS}


def check_read_only(query: str) -> None:
    """Raise :class:`ReadOnlyError` unless ``query`` is one statement that only reads, as every engine reads it."""
    refusals = []
    for dialect in DIALECTS:
        try:
            _check(tokens(query, dialect))
        except _Refused as refused:
            refusals.append((dialect, refused.reason))
    if not refusals:
        return
    dialect, reason = refusals[0]
    if len(refusals) < len(DIALECTS):  # only some engines read it this way: say which
        reason += f" (as {dialect.reads})"
    raise ReadOnlyError(PREFIX + reason)


# -- reading the text as an engine does -----------------------------------------------------------

@dataclass(frozen=True)
class Token:
    kind: str  # "word" (unquoted identifier or keyword), "name" (backticked), "string", "number", "symbol"
    text: str  # a name's text is what the engine sees: no backticks, `` read as `

    def is_symbol(self, *symbols: str) -> bool:
        return self.kind == "symbol" and self.text in symbols


@dataclass(frozen=True)
class Dialect:
    engine: str
    reads: str  # for messages: "as LadybugDB reads it"
    strings: re.Pattern[str]
    line_comment: re.Pattern[str]
    block_comment: re.Pattern[str]
    unicode_escapes: bool = False  # decode \uXXXX in the whole text before reading it


_LADYBUG_ESCAPE = r"""\\(?:[\\'"bfnrtBFNRT]|[xX][0-9a-fA-F]{2}|[uU][0-9a-fA-F]{4})"""
LADYBUG = Dialect(
    "embedded", "LadybugDB reads it",
    strings=re.compile(rf"""'(?:[^'\\]|{_LADYBUG_ESCAPE})*'|"(?:[^"\\]|{_LADYBUG_ESCAPE})*\""""),
    # '//' ( ~[\n\r] )* CR? ( LF | EOF ): a // followed by a lone \r is no comment but two slashes.
    line_comment=re.compile(r"//[^\r\n]*(?:\r?\n|\r?\Z)"),
    # '/*' ( ~[*] | '*' ~[/] )* '*/': a star inside takes the next character, so /* **/ stays open.
    block_comment=re.compile(r"/\*(?:[^*]|\*[^/])*\*/"),
)
_NEO4J = dict(
    strings=re.compile(r"""'(?:[^'\\]|\\[\s\S])*'|"(?:[^"\\]|\\[\s\S])*\""""),
    line_comment=re.compile(r"//[^\r\n]*"),
    block_comment=re.compile(r"/\*[\s\S]*?\*/"),
)
NEO4J = Dialect("neo4j", "Neo4j reads it", **_NEO4J)
NEO4J_UNICODE_ESCAPES = Dialect("neo4j", r"Neo4j 5 reads it, decoding \u escapes first", unicode_escapes=True,
                                **_NEO4J)
DIALECTS = (LADYBUG, NEO4J, NEO4J_UNICODE_ESCAPES)

# Whitespace of either engine (Python's \s has all of Neo4j's and LadybugDB's but U+180E).
_SPACE = re.compile(r"[\s\u180e]+")
# Python's word characters, and $ after the first: both engines read x$ as one identifier, so in
# "AS x$ CREATE" CREATE is a keyword, not the parameter $CREATE. None of these is a character
# either engine takes for whitespace or an operator, so a keyword is never hidden inside a longer
# word (an engine may join more: a€b, a\u00adb).
_WORD = re.compile(r"[^\W\d][\w$]*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"`(?:[^`]|``)*`")
_JAVA_UNICODE_ESCAPE = re.compile(r"\\\\|\\u([0-9a-fA-F]{4})")


def decode_unicode_escapes(text: str) -> str:
    r"""``\uXXXX`` decoded as Java (and Neo4j 5's parser) does before reading: not after an odd backslash.

    >>> decode_unicode_escapes(r"'\u0027' \\u0027")
    "''' \\\\u0027"
    """
    return _JAVA_UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(0), text)


def tokens(query: str, dialect: Dialect) -> list[Token]:
    """The tokens of ``query`` as ``dialect`` reads it, whitespace and comments dropped.

    What the engine could not read (an unterminated string, an escape it does not know) is
    taken as one symbol and reading goes on, so whatever follows is checked as code.

    >>> [t.text for t in tokens("MATCH (n) /* x */ RETURN n.`a``b` // y", LADYBUG)]
    ['MATCH', '(', 'n', ')', 'RETURN', 'n', '.', 'a`b']
    """
    text = decode_unicode_escapes(query) if dialect.unicode_escapes else query
    found: list[Token] = []
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        match = _SPACE.match(text, position)
        if match is None and text.startswith("//", position):
            match = dialect.line_comment.match(text, position)
        if match is None and text.startswith("/*", position):
            match = dialect.block_comment.match(text, position)
        if match is not None:
            position = match.end()
            continue
        kind = None
        if char in "'\"":
            match, kind = dialect.strings.match(text, position), "string"
        elif char == "`":
            match, kind = _NAME.match(text, position), "name"
        elif char.isdigit() or (char == "." and text[position + 1:position + 2].isdigit()):
            match, kind = _NUMBER.match(text, position), "number"
        else:
            match, kind = _WORD.match(text, position), "word"
        if match is not None and match.end() > position:
            value = match.group()
            found.append(Token(kind, value[1:-1].replace("``", "`") if kind == "name" else value))
            position = match.end()
        else:
            width = 2 if text.startswith(("..", "::"), position) else 1
            found.append(Token("symbol", text[position:position + width]))
            position += width
    return found


# -- the allowed shapes -----------------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _check(found: list[Token]) -> None:
    if not found:
        raise _Refused("there is no query to run")
    for index, token in enumerate(found):
        if token.is_symbol(";") and index != len(found) - 1:
            raise _Refused("one statement at a time: nothing may follow ';'")
    body = found[:-1] if found[-1].is_symbol(";") else found
    start = 0
    if body and keyword(body, 0) == "EXPLAIN":
        start = 2 if len(body) > 1 and keyword(body, 1) == "LOGICAL" else 1  # LadybugDB's EXPLAIN LOGICAL
    for index in range(len(body)):
        word = keyword(body, index)
        if (word in REFUSED_WORDS and not (word == "EXPLAIN" and index == 0)) or (
                word in STATEMENT_WORDS and index == start):
            raise _Refused(f"{word} is not allowed")
        if word == "CALL":
            _check_call(body, index)
    _check_functions(body)
    _check_first_clause(body, start)


def keyword(found: list[Token], index: int) -> str | None:
    """The keyword ``found[index]`` would be (upper case), or None where it can only be a name.

    A bare word after ``.`` (property, namespace), ``$`` (parameter) or ``:`` (label, type,
    map value), or before ``:`` (map key, variable with a label) or ``.`` (variable whose property
    is read, namespace) is a name in both engines: no clause keyword is followed by ``:`` or ``.``.
    Both compare keywords in ASCII without case; non-ASCII words are folded as well, to be safe.
    """
    token = found[index]
    if token.kind != "word":
        return None
    if index > 0 and found[index - 1].is_symbol(".", "$", ":"):
        return None
    if index + 1 < len(found) and found[index + 1].is_symbol(":", "."):
        return None
    word = token.text
    if word.isascii():
        return word.upper()
    normal = unicodedata.normalize("NFKC", word)
    for form in (word.upper(), word.casefold().upper(), normal.upper(), normal.casefold().upper()):
        if form in REFUSED_WORDS or form in STATEMENT_WORDS or form in FIRST_CLAUSES:
            return form
    return word.upper()


def qualified_name(found: list[Token], index: int) -> tuple[list[str], int]:
    """Identifier parts from ``found[index]`` joined by dots (plain or backticked), and the index after them."""
    parts = [found[index].text]
    index += 1
    while index + 1 < len(found) and found[index].is_symbol(".") and found[index + 1].kind in ("word", "name"):
        parts.append(found[index + 1].text)
        index += 2
    return parts, index


def _check_call(found: list[Token], index: int) -> None:
    after = found[index + 1] if index + 1 < len(found) else None
    if after is not None and after.is_symbol("{", "("):
        return  # CALL { … } or CALL (x) { … }: a subquery, checked like the rest
    if after is None or after.kind not in ("word", "name"):
        raise _Refused("CALL must name an allowed procedure or open a subquery")
    parts, next_index = qualified_name(found, index + 1)
    name = ".".join(parts)
    if next_index < len(found) and found[next_index].is_symbol("="):
        raise _Refused(f"CALL {name} = … changes a setting")
    if not name.isascii() or name.lower() not in _READ_PROCEDURES:
        raise _Refused(f"procedure {name} is not allowed (allowed: {', '.join(sorted(READ_PROCEDURES))})")


def _check_functions(found: list[Token]) -> None:
    for index, token in enumerate(found):
        if token.kind not in ("word", "name") or (index > 0 and found[index - 1].is_symbol(".")):
            continue
        if index > 0 and keyword(found, index - 1) == "CALL":
            continue  # a procedure, checked by _check_call
        parts, next_index = qualified_name(found, index)
        if len(parts) > 1 and next_index < len(found) and found[next_index].is_symbol("("):
            name = ".".join(parts)
            if name.lower() not in _READ_FUNCTIONS:
                raise _Refused(f"function {name} is not allowed")


def _check_first_clause(found: list[Token], start: int) -> None:
    word = keyword(found, start) if start < len(found) else None
    if word in FIRST_CLAUSES:
        return
    # A misspelt clause (MATC, RETRUN) cannot begin a statement in either engine: its parser
    # says so better than a refusal would.
    if word is not None and difflib.get_close_matches(word, FIRST_CLAUSES, n=1, cutoff=0.75):
        return
    written = f", not {found[start].text}" if start < len(found) else ""
    raise _Refused(f"a query starts with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL{written}")
