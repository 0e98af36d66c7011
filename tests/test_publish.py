"""Publishing: readers are never locked out, a failed gate leaves the last good file."""

import duckdb
import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance

from orchestration.defs.night_summary import failed_gates
from orchestration.defs.run_nightly import run_nightly
from orchestration.landing.landing_zone import landed_file_path
from orchestration.landing.registry import read_registry
from tests.conftest import REAL_DATA

POISONIVY = (REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes()
IOCS = b"value,type,tlp\nfirst-night.example,domain,green\n"
MORE_IOCS = b"value,type,tlp\nsecond-night.example,domain,green\n"


@pytest.fixture
def published_night(warehouse):
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", IOCS)
    instance = DagsterInstance.ephemeral()
    assert run_nightly(instance, warehouse=warehouse.config).success
    return warehouse, instance


def values(connection):
    return {v for (v,) in connection.execute("select value from marts.mart_indicators").fetchall()}


def test_reader_keeps_working_while_the_night_publishes(published_night):
    warehouse, instance = published_night
    reader = duckdb.connect(str(warehouse.db_path), read_only=True)
    before = values(reader)
    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", MORE_IOCS)

    result = run_nightly(instance, warehouse=warehouse.config)

    assert result.success
    assert values(reader) == before  # the open connection still reads its snapshot
    assert "second-night.example" not in before
    reader.close()
    with duckdb.connect(str(warehouse.db_path), read_only=True) as fresh:
        assert values(fresh) == before | {"second-night.example"}


def test_failed_gate_leaves_the_published_file_and_names_the_test(published_night):
    warehouse, instance = published_night
    published_before = warehouse.db_path.read_bytes()
    # The landing zone loses records behind the registry's back: the reconciliation gate
    # (records received = records in landing) must stop the night.
    settings = warehouse.settings()
    iocs = next(e for e in read_registry(settings.registry_path) if e.file_name.endswith(".csv"))
    landed = landed_file_path(settings.landing_dir, iocs.file_sha256)
    pq.write_table(pq.read_table(landed).slice(0, 0), landed)
    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", MORE_IOCS)

    result = run_nightly(instance, warehouse=warehouse.config)

    assert not result.success
    assert any("assert_registry_counts_match_landing" in gate for gate in failed_gates(result))
    assert warehouse.db_path.read_bytes() == published_before
