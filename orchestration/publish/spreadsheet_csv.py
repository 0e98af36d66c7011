"""CSV files a spreadsheet may open, written by DuckDB's own CSV writer (the night writes the
public export and every partner's quarantine list this way).

Every cell is quoted, so a CR or LF inside a cell stays inside it (a lone CR left bare is read
by a spreadsheet as a new row that may start with a live formula). Text that a spreadsheet
would execute as a formula gets a leading quote (OWASP CSV injection); so do lists and
structs, which are written as JSON. Times are ISO-8601 in UTC, numbers as numbers, a null is
an empty cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.publish.in_place import sql_string

# the first characters a spreadsheet reads as the start of a formula
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NESTED = {"LIST", "ARRAY", "STRUCT", "MAP", "UNION"}
_TEXT = {"VARCHAR", "ENUM", "UUID", "BLOB", "BIT", "JSON"}


def _neutralized(text_sql: str) -> str:
    triggers = ", ".join(f"chr({ord(c)})" for c in FORMULA_TRIGGERS)
    return (
        f"(case when left({text_sql}, 1) in ({triggers}) "
        f"then chr(39) || {text_sql} else {text_sql} end)"
    )


def _iso_8601(time_sql: str, suffix: str) -> str:
    """Python's isoformat: seconds, and microseconds only when there are some."""
    return (
        f"(case when epoch_us({time_sql}) % 1000000 = 0 "
        f"then strftime({time_sql}, '%Y-%m-%dT%H:%M:%S{suffix}') "
        f"else strftime({time_sql}, '%Y-%m-%dT%H:%M:%S.%f{suffix}') end)"
    )


def cell_sql(column: str, type_name: str) -> str:
    """The SQL that turns a column of DuckDB type `type_name` into the text of its cell."""
    name = _quoted(column)
    kind = type_name.split("(")[0].split("[")[0].strip().upper()
    if type_name.endswith("]") or kind in _NESTED:
        return _neutralized(f"to_json({name})::varchar")
    if kind in _TEXT:
        return _neutralized(f"{name}::varchar")
    if kind in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return _iso_8601(f"timezone('UTC', {name})", "+00:00")
    if kind.startswith("TIMESTAMP"):
        return _iso_8601(f"{name}::timestamp", "")
    return name  # numbers, booleans, dates and times: DuckDB writes them as they read


def write_csv(
    connection: duckdb.DuckDBPyConnection,
    source: str,
    path: Path,
    *,
    order_by: Sequence[str] = (),
    parameters: Sequence[object] = (),
) -> None:
    """Write the rows of the query `source` (with its bound `parameters`) to `path`, ordered by
    its columns `order_by` (all of them, in order, when none are named) so that the same rows
    always give the same file."""
    columns = connection.execute(f"select * from ({source}) limit 0", parameters).description
    cells = ", ".join(
        f"{cell_sql(name, str(type_))} as {_quoted(name)}" for name, type_, *_ in columns
    )
    order = ", ".join(f"source.{_quoted(name)}" for name in order_by or [c[0] for c in columns])
    connection.execute(
        f"copy (select {cells} from ({source}) as source order by {order}) "
        f"to {sql_string(str(path))} "
        "(format csv, header true, force_quote *, quote '\"', escape '\"', new_line '\\n')",
        parameters,
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
