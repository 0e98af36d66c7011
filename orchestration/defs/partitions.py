"""Delivery dates as Dagster daily partitions: partition `2026-11-03` is every drop folder
`<partner_id>/2026-11-03/`."""

from __future__ import annotations

from datetime import date

from dagster import DailyPartitionsDefinition

delivery_dates = DailyPartitionsDefinition(
    start_date="2024-01-01",
    timezone="UTC",
    end_offset=1,  # today's partition exists: partners deliver during the day
)


def partition_dates(partition_keys: list[str]) -> list[date]:
    return [date.fromisoformat(key) for key in partition_keys]
