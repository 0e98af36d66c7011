"""Files written whole or not at all."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_atomically(table: pa.Table, target: Path) -> None:
    """Write `table` as Parquet at `target`; a crash never leaves a partial file there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # unique per writer: two processes landing the same file never write into each other's
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex}.partial")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, target)
