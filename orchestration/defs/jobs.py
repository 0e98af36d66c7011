"""The nightly job, its 02:00 UTC schedule, and the sensor that runs a delivery date as soon as
a partner's drop folder appears or changes."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from orchestration.defs.partitions import delivery_dates
from orchestration.defs.resources import WarehouseConfig
from orchestration.landing.drops import delivery_folder_states

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

nightly_job = define_asset_job(
    name="nightly",
    selection=AssetSelection.all(),
    description="Load the partner drops of the delivery dates, normalize, test, build the marts.",
)


def date_range_tags(first: str, last: str) -> dict[str, str]:
    """Tags that make one run cover a range of delivery dates (a single-run backfill)."""
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


@schedule(
    name="nightly",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.STOPPED,  # turned on by the operator (README)
    description="Every night at 02:00 UTC: the day that just ended and the new one.",
)
def nightly_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    tick = context.scheduled_execution_time or datetime.now(UTC)
    today = tick.astimezone(UTC).date()
    yesterday = today - timedelta(days=1)
    return RunRequest(
        run_key=f"nightly:{today.isoformat()}",
        tags=date_range_tags(yesterday.isoformat(), today.isoformat()),
    )


@sensor(
    name="new_drop_folders",
    job=nightly_job,
    minimum_interval_seconds=300,
    default_status=DefaultSensorStatus.STOPPED,  # turned on by the operator (README)
    description="Runs a delivery date when one of its drop folders appears or changes.",
)
def new_drop_folders(context: SensorEvaluationContext, warehouse: WarehouseConfig):
    """One run per delivery-date folder state: the run key is the date and a hash of what its
    folders hold, so an unchanged folder never runs twice and a new file runs it again."""
    settings = warehouse.resolve()
    known: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    valid_keys = set(delivery_dates.get_partition_keys())
    requests = []
    for day, state in sorted(delivery_folder_states(settings.drops_dir).items()):
        key = day.isoformat()
        digest = hashlib.sha256(state.encode()).hexdigest()[:16]
        if known.get(key) == digest:
            continue
        if key not in valid_keys:
            context.log.warning(f"drop folders for {key} are outside the delivery partitions")
            continue
        known[key] = digest
        requests.append(RunRequest(run_key=f"{key}:{digest}", partition_key=key))
    context.update_cursor(json.dumps(known, sort_keys=True))
    return requests or SkipReason("no new or changed drop folders")
