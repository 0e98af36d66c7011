"""The one owner of configuration: the Dagster resource that reads the `CCW_*` variables (the
table of them, with defaults and meanings, is `orchestration.settings.VARIABLES`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource
from packaging.version import Version
from pydantic import Field

from orchestration.settings import VARIABLES, Settings, resolve

# the Dagster pool of the steps that write a DuckDB file: one at a time (dagster.yaml's limit)
DUCKDB_POOL = "duckdb"
# who answers for every asset of the warehouse (Dagster shows it on each asset)
OWNERS = ["team:warehouse"]


class WarehouseConfig(ConfigurableResource):
    """Where the warehouse lives and how hard a night may work. Unset fields take the defaults
    in VARIABLES; build it directly (tests) or from the environment (`from_environment`)."""

    drops_dir: str | None = Field(default=None, description=VARIABLES["drops_dir"][2])
    db_path: str | None = Field(default=None, description=VARIABLES["db_path"][2])
    landing_dir: str | None = Field(default=None, description=VARIABLES["landing_dir"][2])
    build_db_path: str | None = Field(default=None, description=VARIABLES["build_db_path"][2])
    max_file_bytes: int | None = Field(default=None, description=VARIABLES["max_file_bytes"][2])
    parallel_min_bytes: int | None = Field(
        default=None, description=VARIABLES["parallel_min_bytes"][2]
    )
    ingest_workers: int | None = Field(default=None, description=VARIABLES["ingest_workers"][2])
    duckdb_memory_limit: str | None = Field(
        default=None, description=VARIABLES["duckdb_memory_limit"][2]
    )

    @classmethod
    def from_environment(cls, *, as_env_vars: bool = False) -> WarehouseConfig:
        """The configuration the environment gives, one field per set `CCW_*` variable: its
        value now, or (`as_env_vars`, for the code location) an EnvVar that each run resolves
        when it starts and that Dagster's UI shows by name."""
        given: dict[str, object] = {}
        for field, (variable, default, _) in VARIABLES.items():
            value = os.environ.get(variable)
            if not value:
                continue
            is_number = isinstance(default, int) or field == "ingest_workers"
            if as_env_vars:
                given[field] = EnvVar.int(variable) if is_number else EnvVar(variable)
            else:
                given[field] = int(value) if is_number else value
        return cls(**given)

    def resolve(self) -> Settings:
        """Absolute paths and numbers, with every default applied."""
        return resolve(**{field: getattr(self, field) for field in VARIABLES})


class WarehouseDbt(DbtCliResource):
    """dbt from the environment Dagster runs in (its `dbt` executable, whether or not that is
    on PATH): its version is the installed dbt-core's, known without starting `dbt --version`
    in a process of its own (2.4 s, and a call to PyPI) every night. No dbt adapter is opened
    in Dagster's process: dagster-dbt uses one only to fetch row counts and column metadata,
    which this project does not ask of it (the dbt asset counts rows itself), and making one
    parses every macro of the project a second time (2.4 s a night, before dbt starts)."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None
