"""The publishable export of the `public` schema, written at publish time: its own DuckDB file
plus one Parquet and one CSV file per table. Rows are in a stable order so the same data gives
the same files. CSV cells a spreadsheet would execute are neutralised, and every cell is
quoted."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
from collections.abc import Mapping
from pathlib import Path

import duckdb

from orchestration.publish.in_place import replaced_folder, sql_string

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# every cell quoted: a CR or LF inside a cell then stays inside it (QUOTE_MINIMAL leaves a lone
# CR bare, which a spreadsheet reads as a new row that may start with a live formula)
SPREADSHEET_CSV = {"lineterminator": "\n", "quoting": csv.QUOTE_ALL}
PUBLIC_DB_NAME = "ccw_public.duckdb"


def neutralize_cell(text: str) -> str:
    """Prefix text that a spreadsheet would read as a formula with a quote (OWASP CSV
    injection); anything else is returned unchanged."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: object) -> str:
    """How a value is written to CSV: numbers as numbers, times in ISO-8601, lists as JSON,
    text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return neutralize_cell(json.dumps(value, ensure_ascii=False, default=str))
    return neutralize_cell(str(value))


def export_public(
    published_db_path: Path, export_dir: Path, config: Mapping[str, str] | None = None
) -> list[str]:
    """Write the export into a fresh folder and swap it in, with DuckDB's `config` (memory
    limit, temporary folder). Returns the exported table names."""
    with (
        replaced_folder(export_dir) as partial,
        duckdb.connect(config=dict(config or {})) as connection,
    ):
        connection.execute(f"attach {sql_string(str(published_db_path))} as src (read_only)")
        connection.execute(f"attach {sql_string(str(partial / PUBLIC_DB_NAME))} as public_db")
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'src' and table_schema = 'public' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            ordered = f'select * from src.public."{table}" order by all'
            connection.execute(f'create table public_db.main."{table}" as {ordered}')
            parquet = sql_string(str(partial / f"{table}.parquet"))
            connection.execute(f"copy ({ordered}) to {parquet} (format parquet)")
            cursor = connection.execute(ordered)
            header = [column[0] for column in cursor.description]
            with (partial / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, **SPREADSHEET_CSV)
                writer.writerow(header)
                writer.writerows([csv_cell(v) for v in row] for row in cursor.fetchall())
        connection.execute("checkpoint public_db")
        connection.execute("detach public_db")
    return tables
