"""A file that still makes the build fail is held back, not the night: the night builds again
without it, publishes everything else and registers it as `held` with the failed node; later
nights keep it held without trying it again, until the rules change."""

from __future__ import annotations

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import isolated_warehouse

DAY = "2026-11-02"
ORDINARY = b"value,type,first_seen\nordinary-partner.example,domain,2026-11-01T10:00:00Z\n"
# Every amount is plausible on its own (below the 1e12 cap), but one month of them, in USD,
# is past the DECIMAL(18,2) of mart_impact_monthly's contract.
OVERFLOWING_MONTH = b"incident_id,reported_on,victim_name,ransom_demanded,currency\n" + b"".join(
    b"INC-%d,15.9.2026,Victim %d Ltd,9999e8,GBP\n" % (n, n) for n in range(7640)
)


def _published(warehouse) -> dict:
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        rows = connection.execute(
            "select file_name, file_status, error_message, records_received "
            "from marts.mart_drop_files"
        ).fetchall()
        return {
            "files": {name.rsplit("/", 1)[-1]: rest for name, *rest in rows},
            "values": connection.execute("select value from marts.mart_indicators").fetchall(),
            "impact": connection.execute(
                "select count(*) from marts.mart_impact_monthly"
            ).fetchone(),
        }


def _retries(instance: DagsterInstance, result) -> list[str]:
    """The night's warnings that it builds again without some files."""
    return [
        record.user_message
        for record in instance.all_logs(result.run_id)
        if "building without" in record.user_message
    ]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("held"))
    warehouse.drop("harbor-isp", DAY, "ordinary.csv", ORDINARY)
    warehouse.drop("finsec-isac", DAY, "incidents.csv", OVERFLOWING_MONTH)
    instance = DagsterInstance.ephemeral()
    first = run_nightly(instance, warehouse=warehouse.config)
    published = _published(warehouse)
    warehouse.drop("harbor-isp", "2026-11-03", "next.csv", ORDINARY.replace(b"ordinary", b"next"))
    second = run_nightly(instance, warehouse=warehouse.config)
    yield warehouse, instance, first, published, second


def test_the_night_publishes_without_the_file(nights):
    _, instance, first, published, _ = nights

    assert first.success, [e.message for e in first.all_events if e.is_failure]
    assert published["values"] == [("ordinary-partner.example",)]
    assert published["impact"] == (0,)
    assert len(_retries(instance, first)) == 1  # the partner's new files were enough


def test_the_file_is_held_with_the_failed_node_and_no_content(nights):
    *_, published, _ = nights
    files = published["files"]

    status, error, received = files["incidents.csv"]
    assert (status, received) == ("held", 7640)
    assert "mart_impact_monthly" in error and "finsec-isac" in error
    assert "Victim" not in error and "9999e8" not in error and "GBP" not in error
    assert files["ordinary.csv"][0] == "loaded"


def test_a_later_night_keeps_it_held_without_trying_it_again(nights):
    warehouse, instance, *_, second = nights

    assert second.success
    assert _retries(instance, second) == []
    files = _published(warehouse)["files"]
    assert files["incidents.csv"][0] == "held"
    assert files["next.csv"][0] == "loaded"


def test_running_out_of_memory_holds_back_no_file(warehouse):
    """DuckDB running out of memory is the limit's doing, not a partner's: the night fails,
    saying so, and builds again without nobody's files."""
    warehouse.drop("harbor-isp", DAY, "ordinary.csv", ORDINARY)
    warehouse.drop("finsec-isac", DAY, "ordinary.csv", ORDINARY.replace(b"ordinary", b"other"))
    instance = DagsterInstance.ephemeral()

    night = run_nightly(instance, warehouse=warehouse.configured(duckdb_memory_limit="12MB"))

    assert not night.success
    assert _retries(instance, night) == []
    messages = [record.user_message for record in instance.all_logs(night.run_id)]
    assert any(
        "DuckDB ran out of memory in" in message and "(now 12MB)" in message for message in messages
    )
