"""The file registry: one row per delivered file (any status), kept as Parquet beside the
landing zone and copied whole into `raw.drop_files` each night."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.landing.atomic_files import write_atomically

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

    @property
    def reason(self) -> str | None:
        """The error without the file name it starts with (for lines that name the file)."""
        if self.error is None:
            return None
        return self.error.removeprefix(f"{self.file_name}: ")


def read_registry(registry_path: Path) -> list[RegistryEntry]:
    if not registry_path.exists():
        return []
    return [RegistryEntry(**row) for row in pq.read_table(registry_path).to_pylist()]


def write_registry(registry_path: Path, entries: Iterable[RegistryEntry]) -> None:
    rows = [asdict(entry) for entry in entries]
    write_atomically(pa.Table.from_pylist(rows, schema=REGISTRY_SCHEMA), registry_path)
