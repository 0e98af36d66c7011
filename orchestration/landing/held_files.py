"""Files held back: loaded files whose records made the night's build fail.

A held file stays in the landing zone and in the registry, with status `held` and the reason,
but its records are left out of `raw.landed_records`, so the rest of the night builds and
publishes. It is held under the rules (reference seeds and dbt code) of the night that held
it: when those change, it is tried again.

Plain Python, no Dagster: the list is a small Parquet file beside the registry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.landing.atomic_files import write_atomically
from orchestration.landing.raw_catalog import raw_table_exists

if TYPE_CHECKING:
    from orchestration.landing.registry import RegistryEntry

HELD_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("reason", pa.string()),
        ("rules_fingerprint", pa.string()),
        ("held_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass(frozen=True)
class HeldFile:
    file_sha256: str
    reason: str  # names the build's failed nodes, never a value
    rules_fingerprint: str
    held_at: datetime


def held_path(landing_dir: Path) -> Path:
    return landing_dir / "held.parquet"


def read_held(landing_dir: Path) -> dict[str, HeldFile]:
    path = held_path(landing_dir)
    if not path.exists():
        return {}
    return {row["file_sha256"]: HeldFile(**row) for row in pq.read_table(path).to_pylist()}


def write_held(landing_dir: Path, held: Iterable[HeldFile]) -> None:
    rows = [dataclasses.asdict(entry) for entry in sorted(held, key=lambda e: e.file_sha256)]
    write_atomically(pa.Table.from_pylist(rows, schema=HELD_SCHEMA), held_path(landing_dir))


def release_stale(landing_dir: Path, rules_fingerprint: str) -> list[HeldFile]:
    """Drop the files held under other rules, so that tonight tries them again."""
    held = read_held(landing_dir)
    stale = [entry for entry in held.values() if entry.rules_fingerprint != rules_fingerprint]
    if stale:
        write_held(landing_dir, (e for e in held.values() if e not in stale))
    return stale


def with_held_status(
    entries: Iterable[RegistryEntry], held: dict[str, HeldFile]
) -> list[RegistryEntry]:
    """The registry as the night sees it: loaded files that are held have status `held`."""
    return [
        dataclasses.replace(
            entry,
            status="held",
            error=f"{entry.file_name}: {held[entry.file_sha256].reason}",
        )
        if entry.status == "loaded" and entry.file_sha256 in held
        else entry
        for entry in entries
    ]


BUILT_FILES_TABLE = "raw.built_files"


def record_built_files(connection: duckdb.DuckDBPyConnection) -> None:
    """Remember the files a successful build was made of: the next night's new files are the
    loaded files not among them."""
    connection.execute(
        f"create or replace table {BUILT_FILES_TABLE} as "
        "select file_sha256, partner_id from raw.drop_files where status = 'loaded'"
    )


def files_to_suspect(
    connection: duckdb.DuckDBPyConnection, rules_changed: bool
) -> dict[str, list[str]]:
    """The loaded files a failed build may be failing on, by partner: the files that are new
    since the last successful build, or every loaded file when the rules changed (each is then
    normalized again) or no build succeeded yet."""
    built_exists = raw_table_exists(connection, "built_files")
    exclude = (
        f"and file_sha256 not in (select file_sha256 from {BUILT_FILES_TABLE})"
        if built_exists and not rules_changed
        else ""
    )
    rows = connection.execute(
        "select partner_id, list(distinct file_sha256 order by file_sha256) "
        f"from raw.drop_files where status = 'loaded' {exclude} "
        "group by partner_id order by partner_id"
    ).fetchall()
    return {partner: shas for partner, shas in rows}
