"""The warehouse's configuration as plain values: where the repository's own folders are,
every setting with its variable, default and meaning (VARIABLES), and `Settings`, the resolved
configuration the plain modules (landing, publish) take as an argument.

Only the Dagster resource `orchestration.defs.resources.WarehouseConfig` reads the variables;
dbt gets what it needs as `--vars` (`Settings.dbt_vars()`), so nothing writes `os.environ`.
The victim-key secret is the exception on purpose: it never goes on a command line, into a
profile or into a log; the dbt plugin (`orchestration.sql.duckdb_functions`) reads it from the
environment of dbt's process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
REFERENCE_SEEDS_DIR = REPO_ROOT / "seeds" / "reference"
SAMPLE_DROPS_DIR = REPO_ROOT / "seeds" / "drops"

# field: (variable, default, what it means); a None default is derived (see resolve())
VARIABLES: dict[str, tuple[str, object, str]] = {
    "drops_dir": ("CCW_DROPS_DIR", SAMPLE_DROPS_DIR, "partner drops, <partner>/<date>/<file>"),
    "db_path": (
        "CCW_DB_PATH",
        REPO_ROOT / "warehouse" / "ccw.duckdb",
        "the published analysts' file",
    ),
    "landing_dir": ("CCW_LANDING_DIR", None, "landing zone; default: landing/ beside db_path"),
    "build_db_path": (
        "CCW_BUILD_DB_PATH",
        None,
        "the build file; default: build/<db_path's name> beside db_path (same file name)",
    ),
    "max_file_bytes": ("CCW_MAX_FILE_BYTES", 512 * 1024 * 1024, "larger files are rejected"),
    "parallel_min_bytes": (
        "CCW_PARALLEL_MIN_BYTES",
        16 * 1024 * 1024,
        "a night with less to parse is parsed in the main process",
    ),
    "ingest_workers": ("CCW_INGEST_WORKERS", None, "landing processes; default: one per core"),
    "duckdb_memory_limit": (
        "CCW_DUCKDB_MEMORY_LIMIT",
        "2GB",
        "DuckDB memory_limit for dbt; past it DuckDB spills to a folder beside the build file",
    ),
}
VICTIM_KEY_VARIABLE = "CCW_VICTIM_KEY"  # read by the dbt plugin only, never passed on


@dataclass(frozen=True)
class Settings:
    """The configuration, resolved: absolute paths and numbers."""

    drops_dir: Path
    db_path: Path  # the published file analysts and dashboards read
    landing_dir: Path
    build_db_path: Path  # the file the nightly builds into; published only when gates pass
    max_file_bytes: int = VARIABLES["max_file_bytes"][1]  # type: ignore[assignment]
    parallel_min_bytes: int = VARIABLES["parallel_min_bytes"][1]  # type: ignore[assignment]
    ingest_workers: int = 1
    duckdb_memory_limit: str = VARIABLES["duckdb_memory_limit"][1]  # type: ignore[assignment]

    @property
    def registry_path(self) -> Path:
        return self.landing_dir / "registry.parquet"

    @property
    def file_hashes_path(self) -> Path:
        """The sha256 of each delivered file, so a night reads only new or changed files."""
        return self.landing_dir / "file_hashes.parquet"

    @property
    def export_dir(self) -> Path:
        """The publishable export of the public schema, next to the published file."""
        return self.db_path.parent / "public"

    @property
    def reports_dir(self) -> Path:
        """Partner feedback reports and the recognition report."""
        return self.db_path.parent / "reports"

    def duckdb_config(self) -> dict[str, str]:
        """DuckDB's settings for the connections the night opens in its own process (landing's
        raw tables, publish, exports, reports), as dbt's profile sets them for dbt's: the same
        memory limit, and past it a spill into the build file's own temporary folder."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "temp_directory": f"{self.build_db_path}.tmp",
        }

    def connect_build_file(self, *, merge_row_groups: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection to the build file, with the night's DuckDB settings; without DuckDB's
        row-group merge at its checkpoints unless `merge_row_groups` (the weekly compaction:
        orchestration/defs/build_compaction.py)."""
        config = self.duckdb_config()
        if not merge_row_groups:
            config["max_vacuum_tasks"] = "0"
        return duckdb.connect(str(self.build_db_path), config=config)

    def dbt_vars(self) -> dict[str, str | bool]:
        """What the night hands dbt as `--vars`: where to build and how much memory to use
        (profiles.yml), and that the gates of incremental models read what the night wrote
        (get_where_subquery in dbt_project/macros/incremental.sql)."""
        return {
            "ccw_build_db_path": str(self.build_db_path),
            "ccw_duckdb_memory_limit": self.duckdb_memory_limit,
            "ccw_gates_read_tonight": True,
        }


def _absolute(value: str | os.PathLike[str]) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def resolve(
    *,
    drops_dir: str | None = None,
    db_path: str | None = None,
    landing_dir: str | None = None,
    build_db_path: str | None = None,
    max_file_bytes: int | None = None,
    parallel_min_bytes: int | None = None,
    ingest_workers: int | None = None,
    duckdb_memory_limit: str | None = None,
) -> Settings:
    """Absolute paths and numbers, with every default of VARIABLES applied."""
    drops = _absolute(drops_dir or SAMPLE_DROPS_DIR)
    published = _absolute(db_path or VARIABLES["db_path"][1])
    landing = _absolute(landing_dir or published.parent / "landing")
    # Same file name as the published file, so the catalog name that dbt writes into view
    # definitions is the same in both files.
    build = _absolute(build_db_path or published.parent / "build" / published.name)
    if build.name != published.name:
        raise ValueError("CCW_BUILD_DB_PATH must have the same file name as CCW_DB_PATH")
    return Settings(
        drops_dir=drops,
        db_path=published,
        landing_dir=landing,
        build_db_path=build,
        max_file_bytes=int(
            VARIABLES["max_file_bytes"][1] if max_file_bytes is None else max_file_bytes
        ),
        parallel_min_bytes=int(
            VARIABLES["parallel_min_bytes"][1] if parallel_min_bytes is None else parallel_min_bytes
        ),
        ingest_workers=max(1, (os.cpu_count() or 1) if ingest_workers is None else ingest_workers),
        duckdb_memory_limit=duckdb_memory_limit or str(VARIABLES["duckdb_memory_limit"][1]),
    )
