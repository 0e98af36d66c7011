"""Delivery-date partitions: the sensor, the schedule, and backfills that load each file once."""

from datetime import UTC, datetime

import duckdb
from dagster import DagsterInstance, build_schedule_context, build_sensor_context

from orchestration.defs.definitions import defs
from orchestration.defs.jobs import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    new_drop_folders,
    nightly_schedule,
)
from orchestration.defs.run_nightly import run_nightly
from orchestration.landing.registry import read_registry
from tests.conftest import REAL_DATA

POISONIVY = (REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes()
IOCS = b"value,type\n198.51.100.7,ip\nbad.example,domain\n"


def evaluate_sensor(warehouse, cursor=None):
    context = build_sensor_context(
        cursor=cursor,
        instance=DagsterInstance.ephemeral(),
        definitions=defs,
        resources={"warehouse": warehouse.config},
    )
    result = new_drop_folders.evaluate_tick(context)
    return result.run_requests or [], result.cursor


def test_sensor_requests_one_run_per_folder_state(warehouse):
    warehouse.drop("aegis-labs", "2026-11-02", "a.json", POISONIVY)
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", IOCS)
    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", IOCS)

    first, cursor = evaluate_sensor(warehouse)
    again, cursor = evaluate_sensor(warehouse, cursor)
    warehouse.drop("harbor-isp", "2026-11-03", "late.csv", IOCS + b"late.example,domain\n")
    changed, _ = evaluate_sensor(warehouse, cursor)

    assert sorted(r.partition_key for r in first) == ["2026-11-02", "2026-11-03"]
    assert again == []
    assert [r.partition_key for r in changed] == ["2026-11-03"]
    assert changed[0].run_key != next(r.run_key for r in first if r.partition_key == "2026-11-03")


def test_schedule_covers_the_day_that_ended_and_the_new_one():
    context = build_schedule_context(scheduled_execution_time=datetime(2026, 11, 27, 2, tzinfo=UTC))

    (request,) = nightly_schedule.evaluate_tick(context).run_requests

    assert request.tags[RANGE_START_TAG] == "2026-11-26"
    assert request.tags[RANGE_END_TAG] == "2026-11-27"


def test_backfilling_a_month_then_each_day_loads_each_file_once(warehouse):
    days = ["2026-11-02", "2026-11-03", "2026-11-17"]
    for day in days:
        warehouse.drop("harbor-isp", day, "iocs.csv", IOCS + day.encode() + b".example,domain\n")
    warehouse.drop("aegis-labs", "2026-11-17", "a.json", POISONIVY)
    warehouse.drop("aegis-labs", "2026-12-01", "next-month.json", POISONIVY)
    instance = DagsterInstance.ephemeral()

    month = run_nightly(instance, "2026-11-01", "2026-11-30", warehouse=warehouse.config)
    assert month.success
    settings = warehouse.settings()
    after_month = read_registry(settings.registry_path)
    for day in days:
        assert run_nightly(instance, day, day, warehouse=warehouse.config).success

    registry = read_registry(settings.registry_path)
    assert registry == after_month  # the per-day runs found nothing new
    assert sorted(e.file_name for e in registry) == sorted(
        [f"harbor-isp/{d}/iocs.csv" for d in days] + ["aegis-labs/2026-11-17/a.json"]
    )
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        landed = connection.execute(
            "select count(distinct file_sha256), count(*) from raw.landed_records"
        ).fetchone()
    assert landed == (4, 3 * 3 + 155)
