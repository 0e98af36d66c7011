"""The publishable export of the `public` schema, written at publish time: its own DuckDB file
plus one Parquet and one CSV file per table (orchestration.publish.spreadsheet_csv: cells a
spreadsheet would execute are neutralised, every cell is quoted). Rows are in a stable order so
the same data gives the same files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from orchestration.publish.in_place import replaced_folder, sql_string
from orchestration.publish.spreadsheet_csv import write_csv

PUBLIC_DB_NAME = "ccw_public.duckdb"


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
            write_csv(connection, f'select * from src.public."{table}"', partial / f"{table}.csv")
        connection.execute("checkpoint public_db")
        connection.execute("detach public_db")
    return tables
