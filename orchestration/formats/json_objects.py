"""Flat JSON objects, one a line, recognised and renamed in bulk instead of one at a time.

A line is flat when it is an object whose keys and string values hold no escape, quote or
control character, and whose values are such strings, integers of at most 18 digits, `true`,
`false` or `null`: a strict subset of JSON that every reader reads the same way, recognised by
one regular expression over all lines at once (Arrow). DuckDB tells which flat lines hold
exactly a given list of keys and takes out their values' JSON text (keys are bound as
parameters, nothing from the file is spliced into SQL); Arrow writes the objects again under
canonical names, byte for byte what orjson writes for the same object.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.formats import json_text

_WS = "[ \\t]*"
_TEXT = '"[^"\\\\\\x00-\\x1f]*"'
_VALUE = f"(?:{_TEXT}|-?(?:0|[1-9][0-9]{{0,17}})|true|false|null)"
_MEMBER = f"{_TEXT}{_WS}:{_WS}{_VALUE}"
FLAT_OBJECT = f"^{_WS}\\{{{_WS}(?:{_MEMBER}(?:{_WS},{_WS}{_MEMBER})*)?{_WS}\\}}{_WS}$"


_database: duckdb.DuckDBPyConnection | None = None


def _connection() -> duckdb.DuckDBPyConnection:
    """A connection of its own to one in-memory database per process (opening a database
    costs more than renaming a small file's keys)."""
    global _database
    if _database is None:
        _database = duckdb.connect()
    return _database.cursor()


def flat_line_mask(lines: pa.Array, max_chars: int) -> np.ndarray:
    """For each line (without its line ending): True when it is a flat object."""
    flat = pc.and_(
        pc.match_substring_regex(lines, FLAT_OBJECT),
        pc.less_equal(pc.utf8_length(lines), max_chars),
    )
    return np.array(flat.to_numpy(zero_copy_only=False))


def values_by_key(lines: pa.Array, keys: tuple[str, ...]) -> tuple[np.ndarray, pa.Array]:
    """For flat lines: whether each holds exactly `keys` in that order, and the JSON text of
    its values for those keys (a list per line)."""
    source = pa.table({"line": lines})
    with _connection() as connection:
        connection.register("source", source)
        table = connection.execute(  # a projection: rows come back in the order they went in
            """
            select
                coalesce(json_keys(line) = ?::varchar[], false) as same_keys,
                json_extract(line, ?::varchar[])::varchar[] as vals
            from source
            """,
            [list(keys), [f'$."{key}"' for key in keys]],
        ).to_arrow_table()
    same = np.array(table.column("same_keys").to_numpy(), dtype=bool)
    return same, table.column("vals").combine_chunks()


def objects(values: pa.Array, names: tuple[str, ...]) -> pa.Array:
    """Compact JSON objects of `names` to the JSON values listed per row."""
    pieces: list[object] = []
    for position, name in enumerate(names):
        key = json_text.dumps(name).decode("utf-8")
        pieces += [("{" if position == 0 else ",") + key + ":", pc.list_element(values, position)]
    return pc.binary_join_element_wise(*pieces, "}", "")
