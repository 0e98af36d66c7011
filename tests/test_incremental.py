"""The build file persists between nights: files already normalized are not normalized again,
unless the rules (reference seeds or dbt code) change."""

import json
import shutil
import uuid

import duckdb
from dagster import AssetKey, DagsterInstance, materialize

from orchestration.defs.assets_dbt import FINGERPRINT_TABLE, warehouse_dbt_assets
from orchestration.defs.assets_ingest import (
    DROP_FILES,
    FORMAT_RECORDS,
    LANDED_RECORDS,
    partner_drops,
)
from orchestration.defs.definitions import defs
from orchestration.defs.jobs import date_range_tags
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


def _built_files(warehouse) -> set[str]:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        rows = connection.execute("select file_sha256 from raw.built_files").fetchall()
    return {file_sha256 for (file_sha256,) in rows}


def test_a_run_of_some_models_leaves_the_new_files_to_the_next_whole_night(warehouse):
    """An operator materializes one mart after a file arrived: the models that run did not
    read it for the others, so the next whole night still normalizes it."""
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success
    built_after_first = _built_files(warehouse)
    assert len(built_after_first) == 1  # a whole night records what it was made of

    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", SECOND)
    landing = [DROP_FILES, LANDED_RECORDS, *FORMAT_RECORDS.values()]
    subset = materialize(
        [partner_drops, warehouse_dbt_assets],
        selection=[*landing, AssetKey(["marts", "mart_drop_files"])],
        instance=instance,
        tags=date_range_tags("2026-11-02", "2026-11-03"),
        resources={"dbt": defs.resources["dbt"], "warehouse": warehouse.config},
        raise_on_error=False,
    )
    assert subset.success
    assert _built_files(warehouse) == built_after_first
    assert "second-night.example" not in normalized_at(warehouse)

    assert run_nightly(instance, warehouse=warehouse.config).success
    assert "second-night.example" in normalized_at(warehouse)
    assert len(_built_files(warehouse)) == 2


GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"  # TLP 2.0 GREEN
CORRECTED_ID = "indicator--6f2a4b1e-0c3d-4e5f-8a9b-1c2d3e4f5a6b"
INDICATOR_TABLES = [
    "marts.mart_indicator_reports",
    "marts.mart_indicators",
    "intermediate.int_indicators_normalized",
]


def _corrected_bundle(value: str, modified: str) -> bytes:
    indicator = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": CORRECTED_ID,
        "created": "2026-11-01T08:00:00.000Z",
        "modified": modified,
        "valid_from": "2026-11-01T08:00:00Z",
        "pattern_type": "stix",
        "pattern": f"[domain-name:value = '{value}']",
        "object_marking_refs": [GREEN],
    }
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": [indicator]}
    return json.dumps(bundle).encode()


def _rows(warehouse, table: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return connection.execute(f"select * from {table} order by all").fetchall()


def test_a_correction_on_a_later_night_takes_the_earlier_value_out_of_every_report(tmp_path):
    """A partner reported an indicator first; a later night brings its corrected version (same
    STIX id, later `modified`, another value). The earlier value leaves the reports of that
    partner, the other partner who also reported it becomes its first reporter, and every
    indicator table is what one night over both deliveries gives."""
    nightly = isolated_warehouse(tmp_path / "night-by-night")
    at_once = isolated_warehouse(tmp_path / "all-at-once")
    first = _corrected_bundle("typo-domain.example", "2026-11-01T08:00:00.000Z")
    corrected = _corrected_bundle("right-domain.example", "2026-11-03T08:00:00.000Z")
    also_seen = (
        b"value,type,first_seen,tlp\ntypo-domain.example,domain,2026-11-02T09:00:00Z,green\n"
    )
    for warehouse in (nightly, at_once):
        warehouse.drop("aegis-labs", "2026-11-02", "bundle.json", first)
        warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", also_seen)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    reports = _rows(nightly, "marts.mart_indicator_reports")
    assert {(r[2], r[3], r[-1]) for r in reports} == {
        ("typo-domain.example", "aegis-labs", True),
        ("typo-domain.example", "harbor-isp", False),
    }

    for warehouse in (nightly, at_once):
        warehouse.drop("aegis-labs", "2026-11-04", "bundle.json", corrected)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=at_once.config).success

    reports = _rows(nightly, "marts.mart_indicator_reports")
    assert {(r[2], r[3], r[-1]) for r in reports} == {
        ("right-domain.example", "aegis-labs", True),
        ("typo-domain.example", "harbor-isp", True),
    }
    for table in INDICATOR_TABLES:
        assert _rows(nightly, table) == _rows(at_once, table), table
