"""The landing zone: one immutable Parquet file per delivered file, keyed by its sha256, beside
the file registry (`registry.py`); both are the truth the DuckDB file is rebuilt from. Also the
raw tables dbt reads, brought up to date from them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.landing.atomic_files import write_atomically
from orchestration.landing.formats.parsers import PARSERS
from orchestration.landing.formats.records import BODY_SCHEMA, ParsedRecords
from orchestration.landing.held_files import read_held, with_held_status
from orchestration.landing.registry import REGISTRY_SCHEMA, read_registry

LANDED_RECORD_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("partner_id", pa.string()),
        ("delivered_on", pa.date32()),
        ("source_format", pa.string()),
        *BODY_SCHEMA,
    ]
)


_SQL_TYPES = {pa.string(): "varchar", pa.date32(): "date"}
_LANDED_RECORD_COLUMNS = ", ".join(
    f"{field.name} {_SQL_TYPES[field.type]}" for field in LANDED_RECORD_SCHEMA
)


def format_view(source_format: str) -> str:
    """The raw view holding the landed records of one format: dbt declares each as a source."""
    return f"{source_format}_records"


def _create_format_views(connection: duckdb.DuckDBPyConnection) -> None:
    """One view per format the loader can land, so dbt reads each format as its own source
    (with its own freshness) while landing keeps one table, appended once per file."""
    for source_format in PARSERS:  # the code's own names, never data (a view takes no parameter)
        connection.execute(
            f"create or replace view raw.{format_view(source_format)} as "
            f"select * from raw.landed_records where source_format = '{source_format}'"
        )


def landed_file_path(landing_dir: Path, file_sha256: str) -> Path:
    return landing_dir / "records" / f"{file_sha256}.parquet"


def land_records(
    landing_dir: Path,
    records: ParsedRecords,
    *,
    file_sha256: str,
    partner_id: str,
    delivered_on: date,
    source_format: str,
) -> Path:
    """Write the records of one delivered file; a crash never leaves a partial file in place."""
    body = records.to_arrow()
    count = body.num_rows
    columns = {
        "file_sha256": pa.array([file_sha256] * count, pa.string()),
        "partner_id": pa.array([partner_id] * count, pa.string()),
        "delivered_on": pa.array([delivered_on] * count, pa.date32()),
        "source_format": pa.array([source_format] * count, pa.string()),
        **{name: body.column(name) for name in body.column_names},
    }
    table = pa.table(columns, schema=LANDED_RECORD_SCHEMA)
    target = landed_file_path(landing_dir, file_sha256)
    write_atomically(table, target)
    return target


def _fingerprints(paths: dict[str, Path]) -> dict[str, tuple[int, int]]:
    """(size, modification time) of each landed file, by sha256."""
    fingerprints = {}
    for sha, path in paths.items():
        stat = path.stat()  # a loaded file missing from the landing zone is an error
        fingerprints[sha] = (stat.st_size, stat.st_mtime_ns)
    return fingerprints


def _fingerprints_in_table(
    connection: duckdb.DuckDBPyConnection,
) -> dict[str, tuple[int, int]] | None:
    """The landed files `raw.landed_records` was built from, or None when it must be built
    anew (never built, or its columns are not today's)."""
    columns = connection.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'raw' and table_name in ('landed_records', 'landed_files') "
        "order by table_name, ordinal_position"
    ).fetchall()
    records_columns = [name for table, name in columns if table == "landed_records"]
    if (
        records_columns != LANDED_RECORD_SCHEMA.names
        or ("landed_files", "file_sha256") not in columns
    ):
        return None
    rows = connection.execute(
        "select file_sha256, size_bytes, modified_ns from raw.landed_files"
    ).fetchall()
    return {sha: (size, modified) for sha, size, modified in rows}


def _update_raw_tables(
    connection: duckdb.DuckDBPyConnection,
    registry: pa.Table,
    paths: dict[str, Path],
    current: dict[str, tuple[int, int]],
) -> None:
    connection.register("registry_rows", registry)
    connection.execute(
        "create or replace table raw.drop_files as "
        "select * from registry_rows order by delivered_on, file_name"
    )
    connection.unregister("registry_rows")

    in_table = _fingerprints_in_table(connection)
    if in_table is None or any(
        current.get(sha) != fingerprint for sha, fingerprint in in_table.items()
    ):
        # Plain DDL: with DuckDB 1.5.6, a table created from a registered Arrow table and then
        # filled in the same transaction reports no rows to that connection.
        connection.execute(f"create or replace table raw.landed_records ({_LANDED_RECORD_COLUMNS})")
        connection.execute(
            "create or replace table raw.landed_files "
            "(file_sha256 varchar primary key, size_bytes bigint, modified_ns bigint)"
        )
        connection.execute(
            "comment on table raw.landed_files is 'The landing Parquet files whose records "
            "raw.landed_records holds, with the size and modification time they had then.'"
        )
        in_table = {}
    new = sorted(sha for sha in current if sha not in in_table)
    if new:
        # in the order of the (sorted) files and of each file's records, so the table stays
        # clustered by file for the nights that read only their own files; an `order by`
        # would sort every record in memory (4.6 GB against 1.7 GB at 5M records)
        connection.execute(
            "insert into raw.landed_records select * from read_parquet(?)",
            [[str(paths[sha]) for sha in new]],
        )
        fingerprints = pa.table(
            {
                "file_sha256": new,
                "size_bytes": [current[sha][0] for sha in new],
                "modified_ns": [current[sha][1] for sha in new],
            }
        )
        connection.register("new_fingerprints", fingerprints)
        connection.execute("insert into raw.landed_files select * from new_fingerprints")
        connection.unregister("new_fingerprints")
    _create_format_views(connection)


def load_raw_tables(
    connection: duckdb.DuckDBPyConnection, landing_dir: Path, registry_path: Path
) -> tuple[int, dict[str, int]]:
    """Bring `raw.drop_files` and `raw.landed_records` up to date with the landing zone.

    The registry is small and copied whole. Landed records are only appended: the records of
    loaded files the table does not hold yet (`raw.landed_files` lists the landed files it holds,
    with their size and modification time). When a landed file it holds has changed or is no
    longer listed as loaded (the landing zone was replaced or tampered with), or the table has
    other columns, it is built anew from every landed file. Files held back
    (orchestration/landing/held_files.py) are registered as `held` and their records left out.
    Each format's records are also a view, `raw.<format>_records`.
    Returns the number of registry rows and the landed records per format (every format the
    loader knows, zero when none landed).
    """
    entries = with_held_status(read_registry(registry_path), read_held(landing_dir))
    paths = {
        e.file_sha256: landed_file_path(landing_dir, e.file_sha256)
        for e in entries
        if e.status == "loaded" and e.file_sha256
    }
    current = _fingerprints(paths)
    registry = pa.Table.from_pylist([asdict(e) for e in entries], schema=REGISTRY_SCHEMA)
    connection.execute("create schema if not exists raw")
    connection.execute("begin transaction")
    try:
        _update_raw_tables(connection, registry, paths, current)
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    counts = dict.fromkeys(PARSERS, 0)
    counts.update(
        connection.execute(
            "select source_format, count(*) from raw.landed_records group by source_format"
        ).fetchall()
    )
    return len(entries), counts
