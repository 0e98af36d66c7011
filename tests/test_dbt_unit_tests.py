"""dbt's own unit tests (the normalization rules), run by dbt against an empty warehouse."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.landing.landing_zone import load_raw_tables
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT
from orchestration.sql.duckdb_functions import DEVELOPMENT_VICTIM_KEY


def test_dbt_unit_tests_pass(tmp_path: Path):
    db_path = tmp_path / "unit.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        load_raw_tables(connection, tmp_path / "landing", tmp_path / "landing" / "registry.parquet")
    target = tmp_path / "target"
    env = {
        **os.environ,
        "CCW_BUILD_DB_PATH": str(db_path),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        # victim keys in the fixtures are HMACs under the development key
        "CCW_VICTIM_KEY": DEVELOPMENT_VICTIM_KEY,
    }

    # --empty builds every relation with no rows, so each unit test's inputs exist.
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--empty",
            "--exclude",
            "test_type:data",
            "--target-path",
            str(target),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    run_results = json.loads((target / "run_results.json").read_text())
    unit_tests = {
        r["unique_id"]: r["status"]
        for r in run_results["results"]
        if r["unique_id"].startswith("unit_test.")
    }
    defined = json.loads((target / "manifest.json").read_text())["unit_tests"]
    assert set(unit_tests) == set(defined)  # every unit test of the project ran
    assert set(unit_tests.values()) == {"pass"}
