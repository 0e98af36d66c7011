"""The build file's compaction: DuckDB's row-group merge, once a week instead of at every
checkpoint.

At every checkpoint DuckDB merges the row groups of every table that fit in fewer: a night's
partial row group of appended rows into the last full ones, the rows deletes left behind
(`max_vacuum_tasks`). dbt's build checkpoints every 16 MB of its log, many times a night, and
each merged again what the one before had merged (about 3 s of a 5M delta night). The night's
connections to the build file (`Settings.connect_build_file`, and dbt's through the project's
on-run-start hook) leave it off, so an ordinary night's appended rows keep row groups of their
own and its deleted rows their place. After a whole build, or the first build seven days after
the last compaction, the night compacts: one write with the merge on, whose checkpoint merges
every table of the file (a checkpoint with nothing written does nothing). `raw.build_compacted`
records when.
"""

from __future__ import annotations

import duckdb

from orchestration.landing.raw_catalog import raw_table_exists
from orchestration.settings import Settings

COMPACTED_TABLE = "raw.build_compacted"
COMPACTION_INTERVAL_DAYS = 7


def compaction_due(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether no compaction is recorded in the build file within the last seven days."""
    if not raw_table_exists(connection, "build_compacted"):
        return True
    recent = connection.execute(
        f"select count(*) from {COMPACTED_TABLE} "
        f"where compacted_at > now() - interval {COMPACTION_INTERVAL_DAYS} days"
    ).fetchone()[0]
    return recent == 0


def compact(settings: Settings) -> None:
    """Merge the row groups of every table of the build file, and record when."""
    with settings.connect_build_file(merge_row_groups=True) as db:
        db.execute(f"create or replace table {COMPACTED_TABLE} as select now() as compacted_at")
        db.execute("checkpoint")
