"""Dagster asset that publishes the warehouse once every upstream asset, and so every dbt gate,
has succeeded: if dbt build fails a test, this step is skipped and yesterday's file stays.
Each published output is written only when tonight's would differ from what is on disk
(orchestration/defs/published_outputs.py)."""

import time
from collections.abc import Callable
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.defs.assets_dbt import warehouse_dbt_assets
from orchestration.defs.published_outputs import (
    WRITTEN_IN_RUN,
    kept_output,
    made_from,
    written_metadata,
)
from orchestration.defs.resources import DUCKDB_POOL, OWNERS, WarehouseConfig
from orchestration.defs.warehouse_lock import warehouse_lock
from orchestration.publish.analysts_file import publish
from orchestration.publish.exports import export_public
from orchestration.publish.feedback import write_partner_reports
from orchestration.settings import Settings

PUBLISHED = AssetKey(["published", "warehouse"])
MART_KEYS = sorted(
    (key for key in warehouse_dbt_assets.keys if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)


def _written_unless_kept(
    context: AssetExecutionContext,
    settings: Settings,
    stage: str,
    output: Path,
    write: Callable[[], tuple[dict[str, object], str]],
) -> MaterializeResult:
    """Run `write` (it returns its metadata and its operator's line) under the warehouse lock,
    unless `output` is already what it would write: then the last materialization's metadata
    stands."""
    started = time.monotonic()
    with warehouse_lock(settings, stage, context.log.warning):
        made = made_from(settings, output)
        kept = kept_output(context, made, output)
        if kept is not None:
            context.log.info(
                f"{stage}: {output} kept as run {kept[WRITTEN_IN_RUN].value} wrote it "
                "(nothing new since)"
            )
            return MaterializeResult(metadata=kept)
        metadata, line = write()
    context.log.info(f"{stage}: {line} ({time.monotonic() - started:.1f} s)")
    return MaterializeResult(metadata={**metadata, **written_metadata(context, made, output)})


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
    settings = warehouse.resolve()

    def write() -> tuple[dict[str, object], str]:
        size = publish(settings.build_db_path, settings.db_path, settings.duckdb_config())
        metadata = {"path": MetadataValue.path(str(settings.db_path)), "bytes": size}
        return metadata, f"{size / 1e6:.1f} MB to {settings.db_path}"

    return _written_unless_kept(context, settings, "publish", settings.db_path, write)


@asset(
    key=AssetKey(["published", "public_export"]),
    deps=[PUBLISHED],
    group_name="published",
    owners=OWNERS,
    description="The public schema as its own DuckDB file plus Parquet and CSV per table.",
)
def public_export(context: AssetExecutionContext, warehouse: WarehouseConfig) -> MaterializeResult:
    settings = warehouse.resolve()

    def write() -> tuple[dict[str, object], str]:
        tables = export_public(settings.db_path, settings.export_dir, settings.duckdb_config())
        metadata = {"path": MetadataValue.path(str(settings.export_dir)), "tables": tables}
        return metadata, f"{len(tables)} public tables to {settings.export_dir}"

    return _written_unless_kept(context, settings, "exports", settings.export_dir, write)


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
    settings = warehouse.resolve()

    def write() -> tuple[dict[str, object], str]:
        # rendered where the quarantine and first reports live: the build file
        written = write_partner_reports(
            settings.build_db_path, settings.reports_dir, settings.duckdb_config()
        )
        metadata = {"path": MetadataValue.path(str(settings.reports_dir)), "files": len(written)}
        return metadata, f"{len(written)} files to {settings.reports_dir}"

    return _written_unless_kept(context, settings, "reports", settings.reports_dir, write)
