"""The build file persists between nights: files already normalized are not normalized again,
unless the rules (reference seeds or dbt code) change."""

import duckdb
from dagster import DagsterInstance

from orchestration.defs.assets_dbt import FINGERPRINT_TABLE
from orchestration.defs.run_nightly import run_nightly

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
