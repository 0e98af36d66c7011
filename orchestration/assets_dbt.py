"""The dbt project as Dagster assets: `dbt build`, so dbt tests run as asset checks and an
error-severity failure skips everything downstream of it.

Models that normalize per delivered file are incremental (only new files are processed); when
the reference seeds or the dbt code change, the night runs with `--full-refresh` so that every
file is normalized again under the new rules.
"""

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.assets_ingest import DUCKDB_POOL
from orchestration.settings import DBT_PROJECT_DIR, REFERENCE_SEEDS_DIR, REPO_ROOT, load_settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=REPO_ROOT)
dbt_project.prepare_if_dev()

FINGERPRINT_TABLE = "raw.build_fingerprint"


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


def rules_fingerprint() -> str:
    """sha256 over everything that decides how a file is normalized: reference seeds, the
    dbt project's models, macros and configuration, and the SQL functions and macros the
    models call (duckdb_functions, duckdb_macros.sql, stix_patterns)."""
    digest = hashlib.sha256()
    folders = [REFERENCE_SEEDS_DIR, DBT_PROJECT_DIR / "models", DBT_PROJECT_DIR / "macros"]
    orchestration = REPO_ROOT / "orchestration"
    paths = [
        DBT_PROJECT_DIR / "dbt_project.yml",
        orchestration / "duckdb_functions.py",
        orchestration / "duckdb_macros.sql",
        orchestration / "stix_patterns.py",
    ]
    for folder in folders:
        paths += [p for p in folder.rglob("*") if p.is_file()]
    for path in sorted(paths):
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stored_fingerprint(build_db_path: Path) -> str | None:
    if not build_db_path.exists():
        return None
    with duckdb.connect(str(build_db_path)) as connection:
        exists = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'build_fingerprint'"
        ).fetchone()[0]
        if not exists:
            return None
        row = connection.execute(f"select fingerprint from {FINGERPRINT_TABLE}").fetchone()
        return row[0] if row else None


def store_fingerprint(build_db_path: Path, fingerprint: str) -> None:
    with duckdb.connect(str(build_db_path)) as connection:
        connection.execute(f"create or replace table {FINGERPRINT_TABLE} (fingerprint varchar)")
        connection.execute(f"insert into {FINGERPRINT_TABLE} values (?)", [fingerprint])


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    exclude="test_type:unit",
    pool=DUCKDB_POOL,
)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    """Seed, stage, normalize and aggregate, with every data test as a gate."""
    settings = load_settings()  # exports the absolute paths that profiles.yml reads
    fingerprint = rules_fingerprint()
    args = ["build"]
    if stored_fingerprint(settings.build_db_path) != fingerprint:
        context.log.info("reference data or dbt code changed: full refresh")
        args.append("--full-refresh")
    yield from dbt.cli(args, context=context).stream()
    store_fingerprint(settings.build_db_path, fingerprint)
