"""The one owner of the warehouse's configuration: every `CCW_*` variable, its default and what
it means, read here and nowhere else.

`WarehouseConfig` is the Dagster resource the assets, the sensor and the command line receive;
`resolve()` turns it into `Settings`, absolute paths and numbers the plain modules take as
arguments. dbt gets what it needs as `--vars` (`Settings.dbt_vars()`), so nothing writes
`os.environ`.
The victim-key secret is the exception on purpose: it never goes on a command line; dbt's
profile reads it from the environment of the process (profiles.yml).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from pydantic import Field

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
    "duckdb_memory_limit": ("CCW_DUCKDB_MEMORY_LIMIT", "8GB", "DuckDB memory_limit for dbt"),
}
VICTIM_KEY_VARIABLE = "CCW_VICTIM_KEY"  # read by dbt's profile, never passed as an argument


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
    duckdb_memory_limit: str = "8GB"

    @property
    def registry_path(self) -> Path:
        return self.landing_dir / "registry.parquet"

    @property
    def export_dir(self) -> Path:
        """The publishable export of the public schema, next to the published file."""
        return self.db_path.parent / "public"

    @property
    def reports_dir(self) -> Path:
        """Partner feedback reports and the recognition report."""
        return self.db_path.parent / "reports"

    def dbt_vars(self) -> dict[str, str]:
        """What profiles.yml reads from `--vars`: where to build and how much memory to use."""
        return {
            "ccw_build_db_path": str(self.build_db_path),
            "ccw_duckdb_memory_limit": self.duckdb_memory_limit,
        }


def _absolute(value: str | os.PathLike[str]) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


class WarehouseConfig(ConfigurableResource):
    """Where the warehouse lives and how hard a night may work. Unset fields take the defaults
    in VARIABLES; build it directly (tests) or from the environment (`from_environment`)."""

    drops_dir: str | None = Field(default=None, description=VARIABLES["drops_dir"][2])
    db_path: str | None = Field(default=None, description=VARIABLES["db_path"][2])
    landing_dir: str | None = Field(default=None, description=VARIABLES["landing_dir"][2])
    build_db_path: str | None = Field(default=None, description=VARIABLES["build_db_path"][2])
    max_file_bytes: int | None = Field(default=None, description=VARIABLES["max_file_bytes"][2])
    parallel_min_bytes: int | None = Field(
        default=None, description=VARIABLES["parallel_min_bytes"][2]
    )
    ingest_workers: int | None = Field(default=None, description=VARIABLES["ingest_workers"][2])
    duckdb_memory_limit: str | None = Field(
        default=None, description=VARIABLES["duckdb_memory_limit"][2]
    )

    @classmethod
    def from_environment(cls, *, as_env_vars: bool = False) -> WarehouseConfig:
        """The configuration the environment gives, one field per set `CCW_*` variable: its
        value now, or (`as_env_vars`, for the code location) an EnvVar that each run resolves
        when it starts and that Dagster's UI shows by name."""
        given: dict[str, object] = {}
        for field, (variable, default, _) in VARIABLES.items():
            value = os.environ.get(variable)
            if not value:
                continue
            is_number = isinstance(default, int) or field == "ingest_workers"
            if as_env_vars:
                given[field] = EnvVar.int(variable) if is_number else EnvVar(variable)
            else:
                given[field] = int(value) if is_number else value
        return cls(**given)

    def resolve(self) -> Settings:
        """Absolute paths and numbers, with every default applied."""
        drops_dir = _absolute(self.drops_dir or SAMPLE_DROPS_DIR)
        db_path = _absolute(self.db_path or VARIABLES["db_path"][1])
        landing_dir = _absolute(self.landing_dir or db_path.parent / "landing")
        # Same file name as the published file, so the catalog name that dbt writes into view
        # definitions is the same in both files.
        build_db_path = _absolute(self.build_db_path or db_path.parent / "build" / db_path.name)
        if build_db_path.name != db_path.name:
            raise ValueError("CCW_BUILD_DB_PATH must have the same file name as CCW_DB_PATH")
        return Settings(
            drops_dir=drops_dir,
            db_path=db_path,
            landing_dir=landing_dir,
            build_db_path=build_db_path,
            max_file_bytes=int(self.max_file_bytes or VARIABLES["max_file_bytes"][1]),
            parallel_min_bytes=int(
                VARIABLES["parallel_min_bytes"][1]
                if self.parallel_min_bytes is None
                else self.parallel_min_bytes
            ),
            ingest_workers=max(1, int(self.ingest_workers or os.cpu_count() or 1)),
            duckdb_memory_limit=self.duckdb_memory_limit or "8GB",
        )


def load_settings() -> Settings:
    """The settings the environment gives (for plain scripts and tests)."""
    return WarehouseConfig.from_environment().resolve()
