"""In the nightly's build, the gates of a per-file or per-record incremental model read the rows
the night wrote (the rows of earlier nights passed them then, and the night does not rewrite
them); a `dbt test` by hand, after the night, reads every row."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import REPO_ROOT, isolated_warehouse

FIRST = b"value,type,tlp\nfirst-night.example,domain,green\n"
SECOND = b"value,type,tlp\nsecond-night.example,domain,green\n"
UNIQUE_GATE = "unique_combination_int_record_verdicts_file_sha256__record_locator"


@pytest.fixture(scope="module")
def two_nights_then_a_duplicate_in_each(tmp_path_factory):
    """Two nights of one record each, then every verdict written twice (as a faulty model
    would), and the second night's file made tonight's again (as during its build)."""
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("scoped-gates"))
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success
    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", SECOND)
    assert run_nightly(instance, warehouse=warehouse.config).success
    with duckdb.connect(str(warehouse.build_db_path)) as connection:
        connection.execute(
            "insert into intermediate.int_record_verdicts "
            "select * from intermediate.int_record_verdicts"
        )
        connection.execute(
            "delete from raw.built_files where file_sha256 in "
            "(select file_sha256 from raw.drop_files where delivered_on = '2026-11-03')"
        )
    return warehouse


def _gate_failures(warehouse, target: Path, variables: dict) -> dict[str, int]:
    """Run the gates of int_record_verdicts on the warehouse's build file: failures per gate."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "test",
            "--select",
            "int_record_verdicts",
            "--target-path",
            str(target),
            "--vars",
            json.dumps(variables),
        ],
        cwd=REPO_ROOT / "dbt_project",
        env={**os.environ, **warehouse.environment(), "DBT_PROFILES_DIR": str(REPO_ROOT)},
        capture_output=True,
        check=False,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[2]: result["failures"] for result in results}


def test_the_nights_gate_reads_the_rows_of_tonights_files(
    two_nights_then_a_duplicate_in_each, tmp_path
):
    warehouse = two_nights_then_a_duplicate_in_each
    night = warehouse.settings().dbt_vars()

    failures = _gate_failures(warehouse, tmp_path / "target", night)

    # the duplicate of tonight's record, not the one of the first night's
    assert failures[UNIQUE_GATE] == 1


def test_a_gate_run_by_hand_reads_every_row(two_nights_then_a_duplicate_in_each, tmp_path):
    warehouse = two_nights_then_a_duplicate_in_each
    by_hand = {
        name: value
        for name, value in warehouse.settings().dbt_vars().items()
        if name != "ccw_gates_read_tonight"
    }

    failures = _gate_failures(warehouse, tmp_path / "target", by_hand)

    assert failures[UNIQUE_GATE] == 2
