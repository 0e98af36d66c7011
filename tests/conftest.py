"""Shared fixtures: an isolated warehouse (drops, landing, DuckDB file) under a temp folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.resources import WarehouseConfig
from orchestration.settings import Settings
from orchestration.sql.duckdb_functions import register_functions

REPO_ROOT = Path(__file__).resolve().parent.parent


def _checkout_origin(repo: Path) -> Path | None:
    """The local checkout this clone was made from, if it was cloned from a path."""
    try:
        url = subprocess.run(
            ["git", "-C", str(repo), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    origin = Path(url.removeprefix("file://"))
    return origin.resolve() if origin.is_absolute() and origin.is_dir() else None


def _real_data_candidates(repo: Path) -> list[Path]:
    """Where the real public files may be: $CCW_REAL_DATA if set (and then only there), else
    `shared/real-data` beside the checkout, or beside the local checkout it was cloned from (a
    clone made in a temporary folder)."""
    if os.environ.get("CCW_REAL_DATA"):
        return [Path(os.environ["CCW_REAL_DATA"]).resolve()]
    origin = _checkout_origin(repo)
    beside = [repo.parent] + ([origin.parent] if origin else [])
    return [folder / "shared" / "real-data" for folder in beside]


# real public files, read where they are and never copied into the project
REAL_DATA_CANDIDATES = _real_data_candidates(REPO_ROOT)
REAL_DATA = next((c for c in REAL_DATA_CANDIDATES if c.is_dir()), REAL_DATA_CANDIDATES[0])
SAMPLE_DROPS = REPO_ROOT / "seeds" / "drops"
MANIFEST = REPO_ROOT / "dbt_project" / "target" / "manifest.json"


def _manifest_is_stale() -> bool:
    if not MANIFEST.exists():
        return True
    sources = [REPO_ROOT / "dbt_project" / "dbt_project.yml", REPO_ROOT / "profiles.yml"]
    for folder in ("dbt_project/models", "dbt_project/macros", "dbt_project/tests"):
        sources += (REPO_ROOT / folder).rglob("*")
    sources += (REPO_ROOT / "seeds" / "reference").rglob("*")
    newest = max(path.stat().st_mtime for path in sources if path.is_file())
    return newest > MANIFEST.stat().st_mtime


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, with one message, if the real public files cannot be found. The Dagster
    code location reads dbt's manifest at import: make sure it is current."""
    if not REAL_DATA.is_dir():
        looked = ", ".join(str(c) for c in REAL_DATA_CANDIDATES)
        pytest.exit(
            f"the real public files are not found (looked in {looked}); "
            "set CCW_REAL_DATA to the folder that holds them",
            returncode=4,
        )
    if _manifest_is_stale():
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet"],
            cwd=REPO_ROOT / "dbt_project",
            env={**os.environ, "DBT_PROFILES_DIR": str(REPO_ROOT)},
            check=True,
        )


@dataclass
class Warehouse:
    """Paths of one isolated warehouse. In-process tests build its configuration directly
    (`configured`, `settings`); subprocesses get it as the CCW_* environment (`environment`),
    as the command line reads it."""

    root: Path
    drops_dir: Path
    db_path: Path
    landing_dir: Path

    @property
    def build_db_path(self) -> Path:
        return self.db_path.parent / "build" / self.db_path.name

    def configured(self, **overrides: object) -> WarehouseConfig:
        """The configuration resource of this warehouse, built directly, with `overrides`."""
        fields = {
            "drops_dir": str(self.drops_dir),
            "db_path": str(self.db_path),
            "landing_dir": str(self.landing_dir),
            "build_db_path": str(self.build_db_path),
        }
        return WarehouseConfig(**{**fields, **overrides})

    @property
    def config(self) -> WarehouseConfig:
        return self.configured()

    def environment(self) -> dict[str, str]:
        """The CCW_* variables that give a subprocess (the command line, bare dbt) this
        warehouse, as an operator would set them."""
        return {
            "CCW_DROPS_DIR": str(self.drops_dir),
            "CCW_DB_PATH": str(self.db_path),
            "CCW_LANDING_DIR": str(self.landing_dir),
            "CCW_BUILD_DB_PATH": str(self.build_db_path),
        }

    def settings(self, **overrides: object) -> Settings:
        """This warehouse's resolved settings, with `overrides` (WarehouseConfig fields)."""
        return self.configured(**overrides).resolve()

    def drop(self, partner_id: str, delivered_on: str, name: str, content: bytes) -> Path:
        """Deliver a file as a partner would."""
        target = self.drops_dir / partner_id / delivered_on / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return target

    def copy_sample_drops(self) -> None:
        shutil.copytree(SAMPLE_DROPS, self.drops_dir, dirs_exist_ok=True)


def isolated_warehouse(root: Path) -> Warehouse:
    """A warehouse under `root`. Nothing is exported: in-process code gets `settings()` or
    `config`, subprocesses `environment()`."""
    wh = Warehouse(
        root=root,
        drops_dir=root / "drops",
        db_path=root / "warehouse" / "ccw.duckdb",
        landing_dir=root / "warehouse" / "landing",
    )
    wh.drops_dir.mkdir(parents=True, exist_ok=True)
    return wh


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return isolated_warehouse(tmp_path)


def canonical_values_checked_and_changed(build_db_path: Path) -> tuple[int, int]:
    """How many landed indicator values were already in canonical form, and how many of those
    normalization changed anyway (it must change none)."""
    with duckdb.connect() as connection:
        register_functions(connection)
        connection.execute(f"attach '{build_db_path}' as build (read_only)")
        return connection.execute(
            "select count(*), count(*) filter (where value <> trim(original_value)) "
            "from build.intermediate.int_indicators_normalized "
            "where ccw_indicator_is_valid(indicator_type, trim(original_value))"
        ).fetchone()


def run_benchmark(script: str, work_dir: Path, records: int) -> subprocess.CompletedProcess:
    """One round of a `bench/` script on a tiny volume, as `make bench*` runs it."""
    return subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / script),
            "--records",
            str(records),
            "--repeat",
            "1",
            "--work-dir",
            str(work_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
