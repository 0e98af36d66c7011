"""What a night's build is made of, as one digest, so that a night that brings nothing builds
nothing.

dbt's tables are a function of the rules (the reference seeds and the dbt code: the rules
fingerprint) and of the raw tables the loader brings up to date before the build: the file
registry (`raw.drop_files`: every delivered file with its status, rejected and held files too)
and the landed files whose records `raw.landed_records` holds (`raw.landed_files`, with their
size and modification time). No model reads the clock. The digest of those is recorded after
each successful whole build; a night whose digest is the one recorded would build the same
tables and run the same gates on the same rows, so it keeps them as they are.
"""

from __future__ import annotations

import hashlib

import duckdb

from orchestration.landing.raw_catalog import record_value, recorded_value

INPUTS_TABLE = "raw.build_inputs"
# what the loader writes before every build (orchestration/landing/landing_zone.py)
INPUT_TABLES = ("raw.drop_files", "raw.landed_files")


def build_inputs(connection: duckdb.DuckDBPyConnection, fingerprint: str) -> str:
    """sha256 over the rules fingerprint and every row of the raw tables a build reads."""
    digest = hashlib.sha256(fingerprint.encode())
    for table in INPUT_TABLES:
        digest.update(f"\n{table}\n".encode())
        rows = connection.execute(f"select * from {table} order by all").fetchall()
        for row in rows:
            digest.update(repr(row).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def stored_build_inputs(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The digest of the last successful whole build; None when none is recorded."""
    return recorded_value(connection, INPUTS_TABLE, "inputs")


def store_build_inputs(connection: duckdb.DuckDBPyConnection, inputs: str) -> None:
    record_value(connection, INPUTS_TABLE, "inputs", inputs)


def forget_build_inputs(connection: duckdb.DuckDBPyConnection) -> None:
    """Before a build changes the tables: none is known to be what any inputs make."""
    connection.execute(f"drop table if exists {INPUTS_TABLE}")
