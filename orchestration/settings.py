"""Where things are: every path the warehouse uses, resolved once from the environment.

dbt and Dagster run in different working directories, so every path handed to either is made
absolute here and exported back into the environment (dbt's profiles.yml reads
`CCW_BUILD_DB_PATH`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
REFERENCE_SEEDS_DIR = REPO_ROOT / "seeds" / "reference"
SAMPLE_DROPS_DIR = REPO_ROOT / "seeds" / "drops"


@dataclass(frozen=True)
class Settings:
    drops_dir: Path
    db_path: Path  # the published file analysts and dashboards read
    landing_dir: Path
    build_db_path: Path  # the file the nightly builds into; published only when gates pass

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


def _absolute(value: str | os.PathLike[str]) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def load_settings() -> Settings:
    """Read the environment, make every path absolute and export the absolute forms back."""
    drops_dir = _absolute(os.environ.get("CCW_DROPS_DIR") or SAMPLE_DROPS_DIR)
    db_path = _absolute(os.environ.get("CCW_DB_PATH") or REPO_ROOT / "warehouse" / "ccw.duckdb")
    landing_dir = _absolute(os.environ.get("CCW_LANDING_DIR") or db_path.parent / "landing")
    # Same file name as the published file, so the catalog name that dbt writes into view
    # definitions is the same in both files.
    build_db_path = _absolute(
        os.environ.get("CCW_BUILD_DB_PATH") or db_path.parent / "build" / db_path.name
    )
    if build_db_path.name != db_path.name:
        raise ValueError("CCW_BUILD_DB_PATH must have the same file name as CCW_DB_PATH")
    os.environ["CCW_DROPS_DIR"] = str(drops_dir)
    os.environ["CCW_DB_PATH"] = str(db_path)
    os.environ["CCW_LANDING_DIR"] = str(landing_dir)
    os.environ["CCW_BUILD_DB_PATH"] = str(build_db_path)
    return Settings(
        drops_dir=drops_dir, db_path=db_path, landing_dir=landing_dir, build_db_path=build_db_path
    )
