"""The Dagster code location: assets, the nightly job and its schedule, resources."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster import Definitions

from orchestration.defs.assets_dbt import dbt_project, warehouse_dbt_assets
from orchestration.defs.assets_ingest import partner_drops
from orchestration.defs.assets_publish import partner_reports, public_export, published_warehouse
from orchestration.defs.jobs import new_drop_folders, nightly_job, nightly_schedule
from orchestration.defs.operator_log import operator_logger
from orchestration.defs.resources import WarehouseConfig, WarehouseDbt

defs = Definitions(
    assets=[
        partner_drops,
        warehouse_dbt_assets,
        published_warehouse,
        public_export,
        partner_reports,
    ],
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[new_drop_folders],
    # the command line's compact log (run_nightly); runs without logger config log to console
    loggers={"operator": operator_logger},
    resources={
        "dbt": WarehouseDbt(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        ),
        # the CCW_* variables set where the code location runs, read when each run starts
        "warehouse": WarehouseConfig.from_environment(as_env_vars=True),
    },
)
