"""Partners re-send every file a week after it was first delivered, each with a byte changed
(and one incident corrected): the later version of a record replaces the earlier one, so no
count moves except the corrected value."""

from __future__ import annotations

import io
from datetime import date, timedelta

import duckdb
import openpyxl
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import SAMPLE_DROPS, isolated_warehouse

RESENT_AFTER = timedelta(days=7)
CORRECTED = "FS-INC-2026-0431"
# marts whose figures describe what partners reported (the registry and scorecard marts also
# count deliveries, which the re-sending does add)
MARTS = [
    "mart_indicators",
    "mart_actors",
    "mart_campaigns",
    "mart_operation_impact",
    "mart_unresolved_actors",
]


def _changed_by_a_byte(name: str, content: bytes) -> bytes:
    if name.endswith(".xlsx"):  # saved again: other bytes, same cells
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    if name.startswith("finsec-incidents-2026-11-06"):
        corrected = content.replace(b"Switzerland,ALPHV,5000000,", b"Switzerland,ALPHV,6000000,")
        assert corrected != content
        return corrected
    return content.rstrip(b"\n") + b"\n\n" if name.endswith(".json") else content + b"\n"


def _snapshot(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        marts = {
            mart: connection.execute(f"select * from marts.{mart} order by all").fetchall()
            for mart in MARTS
        }
        marts["impact"] = connection.execute(
            "select month, actor_key, sector, country_code, incident_count, victim_count, "
            "ransom_demanded_usd from marts.mart_impact_monthly order by all"
        ).fetchall()
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        marts["corrected"] = connection.execute(
            "select ransom_demanded_usd from intermediate.int_incidents_normalized "
            "where source_reference = ?",
            [CORRECTED],
        ).fetchall()
    return marts


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("redelivery"))
    warehouse.copy_sample_drops()
    first = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    before = _snapshot(warehouse)
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        loaded = connection.execute(
            "select file_name from marts.mart_drop_files where file_status = 'loaded'"
        ).fetchall()
    for (file_name,) in loaded:
        partner, day, name = file_name.split("/")
        resent_on = (date.fromisoformat(day) + RESENT_AFTER).isoformat()
        content = (SAMPLE_DROPS / file_name).read_bytes()
        warehouse.drop(partner, resent_on, name, _changed_by_a_byte(name, content))
    second = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    yield warehouse, first, second, before, _snapshot(warehouse), len(loaded)


def test_both_nights_publish(nights):
    _, first, second, *_ = nights

    assert first.success and second.success


def test_every_resent_file_loads_and_each_earlier_record_is_superseded(nights):
    warehouse, *_, loaded = nights

    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        resent = connection.execute(
            "select file_status, records_received, records_superseded "
            "from marts.mart_drop_files where registered_at > (select min(registered_at) "
            "from marts.mart_drop_files)"
        ).fetchall()
        superseded_earlier = connection.execute(
            "select sum(records_superseded) from marts.mart_drop_files "
            "where registered_at = (select min(registered_at) from marts.mart_drop_files)"
        ).fetchone()[0]
    assert len(resent) == loaded
    assert {status for status, *_ in resent} == {"loaded"}
    assert superseded_earlier > 0


def test_no_count_moves(nights):
    *_, before, after, _ = nights

    for mart in MARTS:
        assert after[mart] == before[mart], mart


def test_the_corrected_incident_replaces_the_earlier_version(nights):
    *_, before, after, _ = nights
    (old_usd,) = before["corrected"]
    (new_usd,) = after["corrected"]  # one row: the correction, not both versions

    assert new_usd[0] == pytest.approx(old_usd[0] * 6 / 5)
    count = {row[:4]: row[4:6] for row in before["impact"]}
    assert {row[:4]: row[4:6] for row in after["impact"]} == count
    delta = sum(r[6] or 0 for r in after["impact"]) - sum(r[6] or 0 for r in before["impact"])
    assert delta == pytest.approx(new_usd[0] - old_usd[0])
