"""Publish the build file as the analysts' file: a compacted copy, checkpointed, then renamed
over the published file in one step. Readers connected to the old file keep reading it; new
connections see the new one; a failure before the rename leaves the old file untouched."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def publish(build_db_path: Path, published_db_path: Path) -> int:
    """Copy every schema of the build file into a fresh file next to the published one and
    rename it into place. Returns the size of the published file in bytes.

    The build and published files share their file name, so view definitions (which name the
    catalog) stay valid in the copy.
    """
    published_db_path.parent.mkdir(parents=True, exist_ok=True)
    catalog = published_db_path.stem
    staging_dir = published_db_path.parent / ".publishing"
    staging_dir.mkdir(exist_ok=True)
    fresh = staging_dir / published_db_path.name
    for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with duckdb.connect() as connection:
        connection.execute(f"attach {_sql_string(str(build_db_path))} as build (read_only)")
        connection.execute(f"attach {_sql_string(str(fresh))} as {catalog}")
        connection.execute(f"copy from database build to {catalog}")
        connection.execute(f"checkpoint {catalog}")
        connection.execute(f"detach {catalog}")
        connection.execute("detach build")
    os.replace(fresh, published_db_path)
    return published_db_path.stat().st_size
