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

CORRECTED = "indicator--6d6ae8a5-6a8b-4f4f-a1c4-2f1cbcbd1a01"
UNCHANGED = "indicator--6d6ae8a5-6a8b-4f4f-a1c4-2f1cbcbd1a02"
VERDICTS_UNIQUE = "unique_combination_int_record_verdicts_file_sha256__record_locator"
VERDICTS_NOT_NULL = "not_null_columns_int_record_verdicts_file_sha256__record_locator__outcome"
OUTCOMES_UNIQUE = "unique_combination_int_record_outcomes_file_sha256__record_locator"
LANDED_UNIQUE = "unique_combination_stg_raw__landed_records_file_sha256__record_locator"
REGISTRY_COUNTS = "assert_registry_counts_match_landing"
ONE_OUTCOME = "assert_records_received_have_one_outcome"


def _bundle(*indicators: tuple[str, str, str]) -> bytes:
    """A STIX 2.1 bundle of domain indicators: (id, modified, domain)."""
    objects = [
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": stix_id,
            "created": "2026-11-01T08:00:00Z",
            "modified": modified,
            "valid_from": "2026-11-01T08:00:00Z",
            "pattern_type": "stix",
            "pattern": f"[domain-name:value = '{domain}']",
        }
        for stix_id, modified, domain in indicators
    ]
    bundle = {"type": "bundle", "id": "bundle--0b5d3c3e-8f0e-4a52-9d6e-2d1b7f1e9c11"}
    return json.dumps({**bundle, "objects": objects}).encode()


@pytest.fixture(scope="module")
def two_nights_then_faulty_rows(tmp_path_factory):
    """Two nights: the first brings two indicators, the second a corrected version of one of
    them (so the night changes that record of the first night's file too). Then rows a faulty
    model could write: every verdict twice, each outcome of the first night's file twice and
    a verdict without a file; the first night's file landed a second time; and the second
    night's file made tonight's again, as it is during its build."""
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("scoped-gates"))
    instance = DagsterInstance.ephemeral()
    warehouse.drop(
        "aegis-labs",
        "2026-11-02",
        "bundle.json",
        _bundle(
            (CORRECTED, "2026-11-01T08:00:00Z", "first-version.example"),
            (UNCHANGED, "2026-11-01T08:00:00Z", "unchanged.example"),
        ),
    )
    assert run_nightly(instance, warehouse=warehouse.config).success
    warehouse.drop(
        "aegis-labs",
        "2026-11-03",
        "bundle.json",
        _bundle((CORRECTED, "2026-11-02T08:00:00Z", "corrected-version.example")),
    )
    assert run_nightly(instance, warehouse=warehouse.config).success
    with duckdb.connect(str(warehouse.build_db_path)) as connection:
        first, second = (
            connection.execute(
                "select file_sha256 from raw.drop_files where delivered_on = ?", [day]
            ).fetchone()[0]
            for day in ("2026-11-02", "2026-11-03")
        )
        # the first night's version of CORRECTED is superseded on the second night
        assert connection.execute(
            "select count(*) from intermediate.int_record_outcomes "
            "where file_sha256 = ? and outcome = 'superseded'",
            [first],
        ).fetchone() == (1,)
        connection.execute(
            "insert into intermediate.int_record_verdicts "
            "select * from intermediate.int_record_verdicts"
        )
        connection.execute(
            "insert into intermediate.int_record_verdicts "
            "select * replace (null as file_sha256) from intermediate.int_record_verdicts "
            "limit 1"
        )
        connection.execute(
            "insert into intermediate.int_record_outcomes "
            "select * from intermediate.int_record_outcomes where file_sha256 = ?",
            [first],
        )
        connection.execute(
            "insert into raw.landed_records select * from raw.landed_records where file_sha256 = ?",
            [first],
        )
        connection.execute("delete from raw.built_files where file_sha256 = ?", [second])
    return warehouse


def _gate_failures(
    warehouse,
    target: Path,
    variables: dict,
    models: str = "int_record_verdicts int_record_outcomes",
) -> dict[str, int]:
    """Run the gates of `models` (by default the record verdicts and outcomes) on the
    warehouse's build file: failures per gate."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "test",
            "--select",
            models,
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


def _by_hand(warehouse) -> dict:
    """The night's dbt variables but the one that scopes its gates: a `dbt test` by hand."""
    return {
        name: value
        for name, value in warehouse.settings().dbt_vars().items()
        if name != "ccw_gates_read_tonight"
    }


def test_the_nights_gates_read_the_rows_the_night_wrote(two_nights_then_faulty_rows, tmp_path):
    warehouse = two_nights_then_faulty_rows
    night = warehouse.settings().dbt_vars()

    failures = _gate_failures(warehouse, tmp_path / "target", night)

    # the verdicts of tonight's file (one record), not those of the first night's (two)
    assert failures[VERDICTS_UNIQUE] == 1
    # a row without a file is nobody's earlier night
    assert failures[VERDICTS_NOT_NULL] == 1
    # the outcome tonight rewrote (the superseded version), not the one it left alone
    assert failures[OUTCOMES_UNIQUE] == 1
    # the first night's file holds a record tonight superseded: its outcomes are counted again
    assert failures[ONE_OUTCOME] == 1


def test_gates_run_by_hand_read_every_row(two_nights_then_faulty_rows, tmp_path):
    warehouse = two_nights_then_faulty_rows
    by_hand = _by_hand(warehouse)

    failures = _gate_failures(warehouse, tmp_path / "target", by_hand)

    assert failures[VERDICTS_UNIQUE] == 3
    assert failures[VERDICTS_NOT_NULL] == 1
    assert failures[OUTCOMES_UNIQUE] == 2
    assert failures[ONE_OUTCOME] == 1


def test_a_file_of_an_earlier_night_landed_again_stops_the_night(
    two_nights_then_faulty_rows, tmp_path
):
    warehouse = two_nights_then_faulty_rows
    night = warehouse.settings().dbt_vars()

    failures = _gate_failures(warehouse, tmp_path / "target", night, "stg_raw__landed_records")

    # the night looks for a record landed twice among tonight's files alone ...
    assert failures[LANDED_UNIQUE] == 0
    # ... and the first night's file, landed again, no longer holds what the registry says
    assert failures[REGISTRY_COUNTS] == 1


def test_landed_records_checked_by_hand_are_every_file_s(two_nights_then_faulty_rows, tmp_path):
    warehouse = two_nights_then_faulty_rows
    by_hand = _by_hand(warehouse)

    failures = _gate_failures(warehouse, tmp_path / "target", by_hand, "stg_raw__landed_records")

    # both records of the first night's file, each landed twice
    assert failures[LANDED_UNIQUE] == 2
    assert failures[REGISTRY_COUNTS] == 1
