"""Flat JSON objects, one a line, recognised and renamed in bulk instead of one at a time.

A line is flat when it is an object whose keys and string values hold no escape, quote or
control character, and whose values are such strings, integers of at most 18 digits, `true`,
`false` or `null`: a strict subset of JSON that every reader reads the same way, recognised by
one regular expression over all lines at once (Arrow), and another tells which hold exactly a
given list of keys. DuckDB takes out their values' JSON text (key paths are bound as
parameters, nothing from the file is spliced into SQL); Arrow writes the objects again under
canonical names, byte for byte what orjson writes for the same object.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.landing.formats import json_text

_WS = "[ \\t]*"
_TEXT = '"[^"\\\\\\x00-\\x1f]*"'
_VALUE = f"(?:{_TEXT}|-?(?:0|[1-9][0-9]{{0,17}})|true|false|null)"
_MEMBER = f"{_TEXT}{_WS}:{_WS}{_VALUE}"
FLAT_OBJECT = f"^{_WS}\\{{{_WS}(?:{_MEMBER}(?:{_WS},{_WS}{_MEMBER})*)?{_WS}\\}}{_WS}$"


_database: duckdb.DuckDBPyConnection | None = None


def _connection() -> duckdb.DuckDBPyConnection:
    """A connection of its own to one in-memory database per process (opening a database
    costs more than renaming a small file's keys). One thread: files are already shared
    between processes, one per core."""
    global _database
    if _database is None:
        _database = duckdb.connect(config={"threads": 1})
    return _database.cursor()


def flat_line_mask(lines: pa.Array, max_chars: int) -> np.ndarray:
    """For each line (without its line ending): True when it is a flat object."""
    flat = pc.and_(
        pc.match_substring_regex(lines, FLAT_OBJECT),
        pc.less_equal(pc.utf8_length(lines), max_chars),
    )
    return np.array(flat.to_numpy(zero_copy_only=False))


def shape_mask(lines: pa.Array, keys: tuple[str, ...]) -> np.ndarray:
    """For flat lines: True when the line holds exactly `keys`, in that order (flat keys hold
    no backslash, so each is quoted literally with RE2's `\\Q...\\E`)."""
    members = f"{_WS},{_WS}".join(f'"\\Q{key}\\E"{_WS}:{_WS}{_VALUE}' for key in keys)
    pattern = f"^{_WS}\\{{{_WS}{members}{_WS}\\}}{_WS}$"
    return np.array(pc.match_substring_regex(lines, pattern).to_numpy(zero_copy_only=False))


def values_of(lines: pa.Array, keys: tuple[str, ...]) -> pa.Array:
    """For flat lines holding `keys`: the JSON text of their values, a list per line."""
    source = pa.table({"line": lines})
    with _connection() as connection:
        connection.register("source", source)
        table = connection.execute(  # a projection: rows come back in the order they went in
            "select json_extract(line, ?::varchar[])::varchar[] as vals from source",
            [[f'$."{key}"' for key in keys]],
        ).to_arrow_table()
    return table.column("vals").combine_chunks()


def objects(values: pa.Array, names: tuple[str, ...]) -> pa.Array:
    """Compact JSON objects of `names` to the JSON values listed per row."""
    pieces: list[object] = []
    for position, name in enumerate(names):
        key = json_text.dumps(name).decode("utf-8")
        pieces += [("{" if position == 0 else ",") + key + ":", pc.list_element(values, position)]
    return pc.binary_join_element_wise(*pieces, "}", "")
