"""What the build file's `raw` schema holds: the tables landing writes and the night's records
of its builds (fingerprint, built files, inputs, compaction)."""

from __future__ import annotations

import duckdb


def raw_table_exists(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether `raw.<name>` is a table or view of the connection's database."""
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = ?",
            [name],
        ).fetchone()[0]
    )


def recorded_value(connection: duckdb.DuckDBPyConnection, table: str, column: str) -> str | None:
    """The one value `table` (`raw.<name>`, a night's record of its builds) records; None when
    the table or its row is missing."""
    if not raw_table_exists(connection, table.removeprefix("raw.")):
        return None
    row = connection.execute(f"select {column} from {table}").fetchone()
    return row[0] if row else None


def record_value(
    connection: duckdb.DuckDBPyConnection, table: str, column: str, value: str
) -> None:
    """Make `table` (`raw.<name>`) record `value` alone."""
    connection.execute(f"create or replace table {table} ({column} varchar)")
    connection.execute(f"insert into {table} values (?)", [value])
