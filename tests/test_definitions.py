"""The code location exposes what the nightly schedule and operators rely on."""

import json
import os
import subprocess
import sys
from pathlib import Path

from dagster import AssetKey, DefaultScheduleStatus, DefaultSensorStatus

from orchestration.defs.definitions import defs
from orchestration.landing.formats.parsers import PARSERS
from orchestration.landing.landing_zone import format_view
from tests.conftest import REPO_ROOT


def test_expected_assets_exist():
    keys = set(defs.resolve_asset_graph().get_all_asset_keys())

    for expected in [
        ["raw", "drop_files"],
        ["raw", "landed_records"],
        ["raw", "partners"],
        ["staging", "stg_stix__objects"],
        ["intermediate", "int_indicators_normalized"],
        ["intermediate", "quarantine"],
        ["marts", "mart_indicators"],
    ]:
        assert AssetKey(expected) in keys, expected


def test_dbt_tests_are_asset_checks_on_the_mart():
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key, c.name) for c in graph.asset_check_keys}

    mart = AssetKey(["marts", "mart_indicators"])
    assert (mart, "unique_mart_indicators_indicator_key") in checks
    assert (
        mart,
        "not_null_columns_mart_indicators_indicator_key__indicator_type__value__source_count__report_count__tlp",
    ) in checks


def test_staging_depends_on_the_loader():
    graph = defs.resolve_asset_graph()

    stix = AssetKey(["staging", "stg_stix__objects"])
    loader = graph.get(AssetKey(["raw", "drop_files"])).assets_def

    assert graph.get(stix).parent_keys == {AssetKey(["raw", "stix21_records"])}
    assert AssetKey(["raw", "stix21_records"]) in loader.keys


def test_every_landed_format_is_a_dbt_source_with_freshness_read_by_staging():
    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    sources = {
        node["name"]: node for node in manifest["sources"].values() if node["source_name"] == "raw"
    }
    read_by_staging = {
        parent.split(".")[-1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("stg_")
        for parent in node["depends_on"]["nodes"]
        if parent.startswith("source.")
    }

    for source_format in PARSERS:
        name = format_view(source_format)
        assert name in sources, name
        assert sources[name]["freshness"]["warn_after"]["count"], name
        assert name in read_by_staging, name


def test_nightly_job_and_schedule():
    job = defs.resolve_job_def("nightly")
    schedule = defs.resolve_schedule_def("nightly")

    assert schedule.job_name == job.name == "nightly"
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"


def test_duckdb_writers_share_one_pool():
    graph = defs.resolve_asset_graph()
    pools = {
        graph.get(AssetKey(["raw", "drop_files"])).assets_def.op.pool,
        graph.get(AssetKey(["marts", "mart_indicators"])).assets_def.op.pool,
    }
    assert pools == {"duckdb"}


def test_dagster_loads_the_code_location_ccw_from_pyproject():
    """What `make dev` loads: no module on the command line, pyproject's [tool.dagster]."""
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run(
        [str(dagster), "definitions", "validate"],
        cwd=REPO_ROOT,
        # an instance of its own (a temporary one), whatever DAGSTER_HOME the caller has
        env={name: value for name, value in os.environ.items() if name != "DAGSTER_HOME"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful for code location ccw." in result.stdout + result.stderr


def test_nothing_starts_a_run_until_the_operator_turns_it_on():
    """`make dev` must not rebuild the warehouse because the UI was opened."""
    assert defs.resolve_schedule_def("nightly").default_status == DefaultScheduleStatus.STOPPED
    sensor = defs.resolve_sensor_def("new_drop_folders")
    assert sensor.default_status == DefaultSensorStatus.STOPPED


def test_every_asset_has_an_owner_and_every_check_a_description():
    graph = defs.resolve_asset_graph()
    keys = list(graph.get_all_asset_keys())
    materialized = [key for key in keys if graph.get(key).is_materializable]
    unowned = [key.to_user_string() for key in materialized if not graph.get(key).owners]
    specs = [spec for assets_def in graph.assets_defs for spec in assets_def.check_specs]
    undescribed = [spec.name for spec in specs if not spec.description]

    assert len(materialized) > 60 and unowned == []
    assert len(specs) >= 159 and undescribed == []
    by_name = {spec.name: spec.description for spec in specs}
    assert by_name[
        "not_null_columns_mart_indicators_indicator_key__indicator_type__value__source_count__report_count__tlp"
    ].startswith(
        "`indicator_key`, `indicator_type`, `value`, `source_count`, `report_count` and `tlp` "
        "are never null"
    )
    assert "records received = accepted" in by_name["assert_records_received_have_one_outcome"]


def test_every_published_model_is_declared_in_the_analysts_file_exposure():
    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    published = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] in ("marts", "public")
    }
    exposure = manifest["exposures"]["exposure.ccw.analysts_file"]
    declared = {ref["name"] for ref in exposure["refs"]}

    assert len(published) >= 18
    assert declared == published
