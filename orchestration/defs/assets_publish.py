"""Dagster asset that publishes the warehouse once every upstream asset, and so every dbt gate,
has succeeded: if dbt build fails a test, this step is skipped and yesterday's file stays."""

import time

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.defs.assets_dbt import warehouse_dbt_assets
from orchestration.defs.resources import DUCKDB_POOL, OWNERS, WarehouseConfig
from orchestration.defs.warehouse_lock import warehouse_lock
from orchestration.publish.analysts_file import publish
from orchestration.publish.exports import export_public
from orchestration.publish.feedback import write_partner_reports

PUBLISHED = AssetKey(["published", "warehouse"])
MART_KEYS = sorted(
    (key for key in warehouse_dbt_assets.keys if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)


@asset(
    key=PUBLISHED,
    deps=MART_KEYS,
    group_name="published",
    owners=OWNERS,
    pool=DUCKDB_POOL,
    description="The analysts' DuckDB file (CCW_DB_PATH), replaced atomically after the gates.",
)
def published_warehouse(
    context: AssetExecutionContext, warehouse: WarehouseConfig
) -> MaterializeResult:
    started = time.monotonic()
    settings = warehouse.resolve()
    with warehouse_lock(settings, "publish", context.log.warning):
        size = publish(settings.build_db_path, settings.db_path, settings.duckdb_config())
    context.log.info(
        f"publish: {settings.db_path} ({size / 1e6:.1f} MB, {time.monotonic() - started:.1f} s)"
    )
    return MaterializeResult(metadata={"path": str(settings.db_path), "bytes": size})


@asset(
    key=AssetKey(["published", "public_export"]),
    deps=[PUBLISHED],
    group_name="published",
    owners=OWNERS,
    description="The public schema as its own DuckDB file plus Parquet and CSV per table.",
)
def public_export(context: AssetExecutionContext, warehouse: WarehouseConfig) -> MaterializeResult:
    started = time.monotonic()
    settings = warehouse.resolve()
    with warehouse_lock(settings, "public export", context.log.warning):
        tables = export_public(settings.db_path, settings.export_dir, settings.duckdb_config())
    context.log.info(
        f"exports: {len(tables)} public tables to {settings.export_dir} "
        f"({time.monotonic() - started:.1f} s)"
    )
    return MaterializeResult(metadata={"path": str(settings.export_dir), "tables": tables})


@asset(
    key=AssetKey(["published", "partner_reports"]),
    deps=[PUBLISHED],
    group_name="published",
    owners=OWNERS,
    description="Each partner's feedback report and quarantine CSV, and the recognition report.",
)
def partner_reports(
    context: AssetExecutionContext, warehouse: WarehouseConfig
) -> MaterializeResult:
    started = time.monotonic()
    settings = warehouse.resolve()
    with warehouse_lock(settings, "partner reports", context.log.warning):
        # rendered where the quarantine and first reports live: the build file
        written = write_partner_reports(
            settings.build_db_path, settings.reports_dir, settings.duckdb_config()
        )
    context.log.info(
        f"reports: {len(written)} files to {settings.reports_dir} "
        f"({time.monotonic() - started:.1f} s)"
    )
    return MaterializeResult(metadata={"path": str(settings.reports_dir), "files": len(written)})
