"""A night whose data outgrows DuckDB's memory limit spills to disk and succeeds: memory stays
bounded as volumes grow (CCW_DUCKDB_MEMORY_LIMIT)."""

from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from orchestration.tools.synthetic_drops import generate_drops


def test_a_night_past_its_memory_limit_spills_and_publishes(warehouse):
    # about 20k generated records do not fit in 160 MB: the dbt build spills (with a
    # temp_directory in the profile this failed: DuckDB refuses to switch it once used)
    generate_drops(warehouse.drops_dir, 20_000, seed=0)

    result = run_nightly(
        DagsterInstance.ephemeral(), warehouse=warehouse.configured(duckdb_memory_limit="160MB")
    )

    assert result.success, [e.message for e in result.all_events if e.is_failure]
    assert warehouse.db_path.exists()
