"""The dbt project as Dagster assets: `dbt build`, so dbt tests run as asset checks and an
error-severity failure skips everything downstream of it."""

from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.assets_ingest import DUCKDB_POOL
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, load_settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=REPO_ROOT)
dbt_project.prepare_if_dev()


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys are `<schema>/<name>`, matching where each table lives in the DuckDB file."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            return AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        name = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return AssetKey([schema, name])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "raw"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    exclude="test_type:unit",
    pool=DUCKDB_POOL,
)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    """Seed, stage, normalize and aggregate, with every data test as a gate."""
    load_settings()  # exports the absolute CCW_DB_PATH that profiles.yml reads
    yield from dbt.cli(["build"], context=context).stream()
