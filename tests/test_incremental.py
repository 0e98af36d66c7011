"""The build file persists between nights: files already normalized are not normalized again,
unless the rules (reference seeds or dbt code) change."""

import shutil

import duckdb
from dagster import DagsterInstance

from orchestration.defs.assets_dbt import FINGERPRINT_TABLE
from orchestration.defs.run_nightly import run_nightly
from tests.conftest import SAMPLE_DROPS, isolated_warehouse

FIRST = b"value,type,tlp\nfirst-night.example,domain,green\n"
SECOND = b"value,type,tlp\nsecond-night.example,domain,green\n"


def normalized_at(warehouse) -> dict[str, object]:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return dict(
            connection.execute(
                "select canonical_value, normalized_at "
                "from intermediate.int_indicator_observations_typed"
            ).fetchall()
        )


def test_only_new_files_are_normalized_until_the_rules_change(warehouse):
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success
    first = normalized_at(warehouse)

    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", SECOND)
    assert run_nightly(instance, warehouse=warehouse.config).success
    second = normalized_at(warehouse)

    assert second["first-night.example"] == first["first-night.example"]  # not redone
    assert second["second-night.example"] > first["first-night.example"]

    with duckdb.connect(str(warehouse.build_db_path)) as connection:
        connection.execute(f"update {FINGERPRINT_TABLE} set fingerprint = 'older rules'")
    assert run_nightly(instance, warehouse=warehouse.config).success
    third = normalized_at(warehouse)

    assert third.keys() == second.keys()
    assert all(third[value] > second["second-night.example"] for value in third)


# when the registry first saw a file: the one published value that is the history's, not
# the data's
WHEN_SEEN = "registered_at"


def _published_tables(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        names = connection.execute(
            "select schema_name, table_name, list(column_name) from duckdb_columns() "
            "where not internal group by all order by all"
        ).fetchall()
        assert {schema for schema, _, _ in names} == {"marts", "public"}
        return {
            f"{schema}.{table}": connection.execute(
                f"select * {f'exclude ({WHEN_SEEN})' if WHEN_SEEN in columns else ''} "
                f'from "{schema}"."{table}" order by all'
            ).fetchall()
            for schema, table, columns in names
        }


def test_nights_that_add_drops_give_the_marts_of_one_night_over_them_all(tmp_path):
    """Two nights (the sample drops up to 4 November, then the rest) publish exactly what one
    night over every drop publishes: every mart and public table, row for row."""
    night_by_night = isolated_warehouse(tmp_path / "night-by-night")
    all_at_once = isolated_warehouse(tmp_path / "all-at-once")
    all_at_once.copy_sample_drops()
    early = [p for p in SAMPLE_DROPS.glob("*/*") if p.name <= "2026-11-04"]
    late = [p for p in SAMPLE_DROPS.glob("*/*") if p.name > "2026-11-04"]
    assert early and late

    for days in (early, late):
        for day in days:
            target = night_by_night.drops_dir / day.parent.name / day.name
            shutil.copytree(day, target)
        night = run_nightly(DagsterInstance.ephemeral(), warehouse=night_by_night.config)
        assert night.success
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=all_at_once.config).success

    incremental, rebuilt = _published_tables(night_by_night), _published_tables(all_at_once)
    assert incremental.keys() == rebuilt.keys()
    assert len(incremental) >= 18
    for table, rows in rebuilt.items():
        assert rows, table  # the samples reach every published table
        assert incremental[table] == rows, table
