"""The nightly job and its schedule."""

from __future__ import annotations

from dagster import AssetSelection, ScheduleDefinition, define_asset_job

nightly_job = define_asset_job(
    name="nightly",
    selection=AssetSelection.all(),
    description="Load the partner drops, normalize, test and build the marts.",
)

nightly_schedule = ScheduleDefinition(
    name="nightly",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    description="Every night at 02:00 UTC.",
)
