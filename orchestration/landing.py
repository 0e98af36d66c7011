"""The landing zone: one immutable Parquet file per delivered file, keyed by its sha256, and the
file registry beside it. Both are the truth the DuckDB file is rebuilt from."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.formats.records import BODY_SCHEMA, ParsedRecords

REGISTRY_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("partner_id", pa.string()),
        ("delivered_on", pa.date32()),
        ("file_name", pa.string()),
        ("format", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("records_received", pa.int64()),
        ("loaded_at", pa.timestamp("us", tz="UTC")),
    ]
)

LANDED_RECORD_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("partner_id", pa.string()),
        ("delivered_on", pa.date32()),
        ("source_format", pa.string()),
        *BODY_SCHEMA,
    ]
)


@dataclass(frozen=True)
class RegistryEntry:
    """One delivered file as the registry records it (`raw.drop_files`)."""

    file_sha256: str | None
    partner_id: str | None
    delivered_on: date | None
    file_name: str
    format: str | None
    status: str
    error: str | None
    records_received: int
    loaded_at: datetime


def _write_atomically(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # unique per writer: two processes landing the same file never write into each other's
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex}.partial")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, target)


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
    _write_atomically(table, target)
    return target


def read_registry(registry_path: Path) -> list[RegistryEntry]:
    if not registry_path.exists():
        return []
    return [RegistryEntry(**row) for row in pq.read_table(registry_path).to_pylist()]


def write_registry(registry_path: Path, entries: Iterable[RegistryEntry]) -> None:
    rows = [asdict(entry) for entry in entries]
    _write_atomically(pa.Table.from_pylist(rows, schema=REGISTRY_SCHEMA), registry_path)


def load_raw_tables(
    connection: duckdb.DuckDBPyConnection, landing_dir: Path, registry_path: Path
) -> tuple[int, int]:
    """(Re)build `raw.drop_files` and `raw.landed_records` from the landing zone.

    Returns the number of registry rows and of landed records.
    """
    entries = read_registry(registry_path)
    landed = sorted(
        {
            str(landed_file_path(landing_dir, e.file_sha256))
            for e in entries
            if e.status == "loaded" and e.file_sha256
        }
    )
    registry = pa.Table.from_pylist([asdict(e) for e in entries], schema=REGISTRY_SCHEMA)
    connection.register("registry_rows", registry)
    connection.register("no_records", LANDED_RECORD_SCHEMA.empty_table())
    connection.execute("create schema if not exists raw")
    connection.execute(
        "create or replace table raw.drop_files as "
        "select * from registry_rows order by delivered_on, file_name"
    )
    if landed:
        connection.execute(
            "create or replace table raw.landed_records as "
            "select * from read_parquet(?) order by file_sha256, record_locator",
            [landed],
        )
    else:
        connection.execute("create or replace table raw.landed_records as select * from no_records")
    connection.unregister("registry_rows")
    connection.unregister("no_records")
    record_count = connection.execute("select count(*) from raw.landed_records").fetchone()[0]
    return len(entries), record_count
