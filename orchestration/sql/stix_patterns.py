"""STIX 2.1 patterns read by their grammar: which observable comparisons a pattern holds.

Every pattern is checked against the specification's grammar by the OASIS `stix2-patterns`
parser (ANTLR). The common shape, equality or ISSUBSET comparisons of object paths (a lower-
case object type, property names of either case such as `hashes.MD5`, never one of the
grammar's keywords) joined by AND/OR inside and between brackets, is a strict subset of that
grammar; it is read by a regular expression first, because the ANTLR parser costs about a
millisecond a pattern (a property test checks that both give the same comparisons). Object
types and property names are case-sensitive, as the specification says; only a hash algorithm's
name is compared without regard to case (`file:hashes.'SHA-256'` is `file:hashes.sha-256`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import orjson

_TYPE = r"[a-z][a-z0-9-]*[a-z0-9]|[a-z]"
# the grammar's keywords are tokens of their own, never a property name
KEYWORDS = (
    *("AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS"),
    *("LAST", "IN", "START", "STOP", "SECONDS", "true", "false", "WITHIN", "REPEATS", "TIMES"),
)
_PROPERTY = rf"(?!(?:{'|'.join(KEYWORDS)})(?![A-Za-z0-9_]))[A-Za-z_][A-Za-z0-9_]*"
_STRING = r"'(?:[^'\\]|\\['\\])*'"
_PATH = rf"(?:{_PROPERTY}|{_STRING})(?:\.(?:{_PROPERTY}|{_STRING}))*"
_COMPARISON = rf"({_TYPE}):({_PATH})[ \t]*(=|ISSUBSET)[ \t]*({_STRING})"
_COMPARISON_UNGROUPED = re.sub(r"\((?!\?)", "(?:", _COMPARISON)
_OBSERVATION = (
    rf"\[[ \t]*{_COMPARISON_UNGROUPED}(?:[ \t]+(?:AND|OR)[ \t]+{_COMPARISON_UNGROUPED})*[ \t]*\]"
)
_SIMPLE_PATTERN = re.compile(rf"{_OBSERVATION}(?:[ \t]+(?:AND|OR)[ \t]+{_OBSERVATION})*")
_FIND_COMPARISON = re.compile(_COMPARISON)
_QUALIFIER = re.compile(r"\][ \t\r\n]*(?:WITHIN|REPEATS|START)\b")
_POSITION = re.compile(r"^(\d+):(\d+)")
_PATH_PART = re.compile(rf"{_PROPERTY}|{_STRING}")

Comparison = tuple[str, str, str, str]  # object type, property path, operator, value


def _unquote(literal: str) -> str:
    return literal[1:-1].replace("\\'", "'").replace("\\\\", "\\")


def _path_text(parts: list[object]) -> str:
    """A property path as the type seed spells it: quotes dropped, a hash name lower case."""
    words = [str(part) for part in parts]
    if len(words) == 2 and words[0] == "hashes":
        words[1] = words[1].lower()
    return ".".join(words)


def _simple_comparisons(pattern: str) -> list[Comparison]:
    found = []
    for object_type, path, operator, value in _FIND_COMPARISON.findall(pattern):
        parts = [
            _unquote(part) if part.startswith("'") else part for part in _PATH_PART.findall(path)
        ]
        found.append((object_type, _path_text(parts), operator, _unquote(value)))
    return found


@lru_cache(maxsize=1)
def _grammar():
    from stix2patterns.v21.pattern import Pattern  # ANTLR runtime: imported when needed

    return Pattern


def _grammar_comparisons(pattern: str) -> list[Comparison]:
    """Comparisons by the grammar (raises the parser's exception for invalid syntax)."""
    inspected = _grammar()(pattern).inspect()
    found = []
    for object_type, comparisons in inspected.comparisons.items():
        for path, operator, value in comparisons:
            operator = "=" if operator == "==" else operator
            if operator not in ("=", "ISSUBSET") or not (
                isinstance(value, str) and value.startswith("'")
            ):
                continue  # MATCHES, LIKE, numbers, ...: not one indicator value
            found.append((object_type, _path_text(path), operator, _unquote(value)))
    return found


def read_pattern(pattern: str) -> dict[str, object]:
    """`{"comparisons": [[type, path, operator, value], ...], "qualified": bool}`, or
    `{"error": ...}` naming the place of the syntax error (never the pattern's text)."""
    if _SIMPLE_PATTERN.fullmatch(pattern):
        return {"comparisons": _simple_comparisons(pattern), "qualified": False}
    try:
        comparisons = _grammar_comparisons(pattern)
    except Exception as exc:  # the parser raises its own ParseException, or ANTLR's errors
        position = _POSITION.match(str(exc))
        where = f" at line {position[1]} column {position[2]}" if position else ""
        return {"error": f"pattern is not valid STIX 2.1 pattern syntax{where}"}
    return {"comparisons": comparisons, "qualified": bool(_QUALIFIER.search(pattern))}


def pattern_comparisons_json(pattern: str | None) -> str | None:
    """`read_pattern` as JSON text, for the DuckDB function `ccw_stix_pattern`."""
    if pattern is None:
        return None
    return orjson.dumps(read_pattern(pattern)).decode("utf-8")
