"""Dagster asset that lands the partner drops and brings the raw tables dbt reads up to date."""

import time

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    multi_asset,
)

from orchestration.defs.partitions import delivery_dates, partition_dates
from orchestration.defs.resources import DUCKDB_POOL, OWNERS, WarehouseConfig
from orchestration.defs.warehouse_lock import warehouse_lock
from orchestration.landing.folder_checks import FolderProblem, check_folders
from orchestration.landing.formats.parsers import PARSERS
from orchestration.landing.ingest import ingest_drops
from orchestration.landing.landing_zone import format_view, load_raw_tables

DROP_FILES = AssetKey(["raw", "drop_files"])
LANDED_RECORDS = AssetKey(["raw", "landed_records"])
FORMAT_RECORDS = {name: AssetKey(["raw", format_view(name)]) for name in PARSERS}


@multi_asset(
    specs=[
        AssetSpec(
            DROP_FILES,
            group_name="raw",
            owners=OWNERS,
            description="File registry: every delivered file, its format, status and error.",
        ),
        AssetSpec(
            LANDED_RECORDS,
            group_name="raw",
            owners=OWNERS,
            description="Every record of every loaded file, verbatim, with its lineage.",
        ),
        *(
            AssetSpec(
                key,
                group_name="raw",
                owners=OWNERS,
                deps=[LANDED_RECORDS],
                description=f"The landed records of every {name} file (a view of landed_records).",
            )
            for name, key in FORMAT_RECORDS.items()
        ),
    ],
    partitions_def=delivery_dates,
    backfill_policy=BackfillPolicy.single_run(),
    pool=DUCKDB_POOL,
)
def partner_drops(context: AssetExecutionContext, warehouse: WarehouseConfig):
    """Register and land the new files of the run's delivery dates, then bring the raw tables
    up to date with the whole landing zone (so a partition run never hides what other days
    landed): the registry is copied whole, records of newly landed files are appended."""
    started = time.monotonic()
    settings = warehouse.resolve()
    try:
        check_folders(settings)
    except FolderProblem as problem:
        raise Failure(description=str(problem), allow_retries=False) from None
    dates = partition_dates(context.partition_keys)
    with warehouse_lock(settings, "landing", context.log.warning):
        summary = ingest_drops(settings, delivery_dates=dates)
        settings.build_db_path.parent.mkdir(parents=True, exist_ok=True)
        with settings.connect_build_file() as connection:
            registry_rows, per_format = load_raw_tables(
                connection, settings.landing_dir, settings.registry_path
            )
    for entry in summary.rejected:
        context.log.debug(f"rejected {entry.file_name}: {entry.reason}")
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(summary.status_counts.items()))
    context.log.info(
        f"landing: delivery dates {dates[0]}..{dates[-1]}: {len(summary.new_entries)} new files"
        f"{f' ({statuses})' if statuses else ''}; the warehouse holds {registry_rows} files, "
        f"{sum(per_format.values())} records ({time.monotonic() - started:.1f} s)"
    )
    yield MaterializeResult(
        asset_key=DROP_FILES,
        metadata={
            "new_files": len(summary.new_entries),
            "landing_processes": summary.processes,
            "landing_peak_rss_mb": round(summary.peak_rss_mb, 1),
            "registered_files": registry_rows,
            "rejected_files": [f"{e.file_name}: {e.reason}" for e in summary.rejected],
            **{f"new_{status}": count for status, count in summary.status_counts.items()},
        },
    )
    yield MaterializeResult(
        asset_key=LANDED_RECORDS, metadata={"dagster/row_count": sum(per_format.values())}
    )
    for name, key in FORMAT_RECORDS.items():
        yield MaterializeResult(asset_key=key, metadata={"dagster/row_count": per_format[name]})
