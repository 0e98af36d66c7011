"""End to end: the real nightly job, real dbt, into a temporary DuckDB file."""

import json
import os
import re

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import (
    REPO_ROOT,
    SAMPLE_DROPS,
    canonical_values_checked_and_changed,
    isolated_warehouse,
)

MARTS = [
    "mart_indicators",
    "mart_actors",
    "mart_campaigns",
    "mart_impact_monthly",
    "mart_operation_impact",
    "mart_partner_scorecard",
    "mart_drop_files",
]


def run_nightly_ok(warehouse):
    result = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return result


def query(warehouse, sql: str) -> list[tuple]:
    """Against the analysts' file."""
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def build_query(warehouse, sql: str) -> list[tuple]:
    """Against the build file, where raw, staging and intermediate stay."""
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def nightly_twice(tmp_path_factory):
    """Run the nightly job twice over the sample drops; keep the marts after each run."""
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("nightly"))
    warehouse.copy_sample_drops()
    snapshots = []
    for _ in range(2):
        run_nightly_ok(warehouse)
        snapshots.append(
            {mart: query(warehouse, f"select * from marts.{mart} order by all") for mart in MARTS}
        )
    yield warehouse, snapshots


def test_mart_has_one_row_per_indicator_across_deliveries(nightly_twice):
    warehouse, _ = nightly_twice

    # Delivered once plainly (the threat report) and once upper-case with a trailing dot.
    rows = query(
        warehouse,
        "select indicator_type, source_count, report_count, max_confidence "
        "from marts.mart_indicators where value = 'www.lantern-update.example'",
    )
    assert rows == [("domain-name", 1, 2, 80)]
    (duplicates,) = query(
        warehouse,
        "select count(*) from (select value from marts.mart_indicators "
        "group by indicator_type, value having count(*) > 1)",
    )[0]
    assert duplicates == 0


def test_every_observable_of_or_patterns_reaches_the_mart(nightly_twice):
    warehouse, _ = nightly_twice

    values = {v for (v,) in query(warehouse, "select value from marts.mart_indicators")}

    # One pattern of the threat report: a domain OR'ed with two addresses.
    assert {"cdn.paper-lantern.example", "198.51.100.140", "198.51.100.141"} <= values
    # A CIDR compared with ISSUBSET stays a CIDR; hashes are lower-case.
    assert "198.51.100.0/24" in values
    assert "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" in values


def test_tlp_red_never_reaches_the_mart(nightly_twice):
    warehouse, _ = nightly_twice

    assert query(
        warehouse, "select count(*) from marts.mart_indicators where value = '203.0.113.66'"
    ) == [(0,)]
    # ... but it is kept below the marts: nothing is lost.
    kept = build_query(
        warehouse,
        "select tlp from intermediate.int_indicators_normalized where value = '203.0.113.66'",
    )
    assert kept and set(kept) == {("red",)}


def test_bad_file_is_visible_and_the_rest_loads(nightly_twice):
    warehouse, _ = nightly_twice

    rejected = dict(
        build_query(
            warehouse, "select file_name, error from raw.drop_files where status = 'rejected'"
        )
    )
    truncated = "aegis-labs/2026-11-04/aegis-daily-2026-11-04.json"
    assert rejected[truncated].startswith(f"{truncated}: invalid JSON at line")
    assert "not in the partner registry" in rejected["shadow-broker/2026-11-04/feed.csv"]
    assert "format 'unknown'" in rejected["harbor-isp/2026-11-05/binary-garbage.csv"]
    assert len(rejected) == 3
    statuses = dict(
        build_query(warehouse, "select status, count(*) from raw.drop_files group by status")
    )
    # 28 sample files: 3 rejected, and the re-sent copy of an identical file is a duplicate
    assert statuses == {"loaded": 24, "rejected": 3, "duplicate": 1}


def test_unreadable_values_are_quarantined_with_reasons(nightly_twice):
    warehouse, _ = nightly_twice

    reasons = dict(
        build_query(warehouse, "select raw_value, reason_code from intermediate.quarantine")
    )
    # file:name is no indicator type: that observable of the pattern is out, its hash is in
    assert reasons["ledger-invoice.pdf.exe"] == "unknown_type"
    assert reasons["300.12.4.1"] == "invalid_value"
    assert reasons['"indicator: 192.0.2.1"'] == "damaged_record"


def test_second_run_gives_the_same_marts(nightly_twice):
    _, (first, second) = nightly_twice

    assert all(first[mart] for mart in MARTS)  # every mart has rows
    assert first == second


def test_one_domain_from_four_formats_is_one_indicator_counted_per_partner(nightly_twice):
    warehouse, _ = nightly_twice

    # aegis-labs: STIX pattern; nordic-cert: defanged MISP attribute; harbor-isp: padded
    # upper-case CSV value; finsec-isac: Windows-1252 CSV row. shadow-broker is not registered.
    rows = query(
        warehouse,
        "select source_count, report_count from marts.mart_indicators "
        "where value = 'invoice-portal.example.net'",
    )
    partners = build_query(
        warehouse,
        "select distinct partner_id from intermediate.int_indicators_normalized "
        "where value = 'invoice-portal.example.net' order by 1",
    )
    assert [p for (p,) in partners] == ["aegis-labs", "finsec-isac", "harbor-isp", "nordic-cert"]
    ((source_count, report_count),) = rows
    assert source_count == 4
    assert report_count > source_count  # several reports, each partner counted once


def test_stix_objects_of_the_samples_end_as_their_type_says(nightly_twice):
    warehouse, _ = nightly_twice
    expected = {}
    for path in sorted((SAMPLE_DROPS / "aegis-labs").rglob("*.json")):
        try:
            document = json.loads(path.read_bytes())
        except json.JSONDecodeError:
            continue  # the truncated delivery is rejected whole
        objects = document["objects"]
        context = sum(
            isinstance(o, dict)
            and o.get("type")
            not in (None, "indicator", "intrusion-set", "threat-actor", "campaign")
            for o in objects
        )
        expected[str(path.relative_to(SAMPLE_DROPS))] = (len(objects), context)

    got = {
        name: (received, context)
        for name, received, context in query(
            warehouse,
            "select file_name, records_received, records_context from marts.mart_drop_files "
            "where partner_id = 'aegis-labs' and file_status = 'loaded'",
        )
    }

    # the re-delivered report is a duplicate of the first: same bytes, no records of its own
    assert got == {name: counts for name, counts in expected.items() if "resent" not in name}


def test_marts_never_hold_tlp_red_canaries(nightly_twice):
    warehouse, _ = nightly_twice
    canaries = ["canary-red-nordic.example.org", "canary-red-event-nordic.example.org"]

    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        for (table,) in tables:
            text = connection.execute(
                f"select coalesce(string_agg(t::varchar, ' '), '') from marts.{table} as t"
            ).fetchone()[0]
            for canary in canaries:
                assert canary not in text, (table, canary)
    (landed,) = build_query(
        warehouse,
        "select count(*) from raw.landed_records where record like '%canary-red-nordic%'",
    )[0]
    assert landed == 1  # kept in the build file: nothing lost


def test_the_analysts_file_holds_the_marts_and_public_only(nightly_twice):
    warehouse, _ = nightly_twice

    schemas = query(warehouse, "select distinct schema_name from duckdb_tables() order by 1")
    views = query(warehouse, "select count(*) from duckdb_views() where not internal")

    assert schemas == [("marts",), ("public",)]
    assert views == [(0,)]
    assert build_query(warehouse, "select count(*) from raw.landed_records")[0][0] > 0


def test_every_table_and_column_of_the_analysts_file_is_described(nightly_twice):
    warehouse, _ = nightly_twice

    tables = query(warehouse, "select schema_name, table_name, comment from duckdb_tables()")
    columns = query(
        warehouse,
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where not internal",
    )

    assert len(tables) == 18 and len(columns) > 100  # 13 marts, 5 public tables
    assert [t[:2] for t in tables if not (t[2] or "").strip()] == []
    assert [c[:3] for c in columns if not (c[3] or "").strip()] == []


def test_the_command_finds_a_dagster_home_from_a_plain_shell(monkeypatch, tmp_path):
    from orchestration.defs.run_nightly import nightly_instance
    from tests.conftest import REPO_ROOT

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with nightly_instance() as instance:
        assert instance.root_directory == str(REPO_ROOT / ".dagster")
        # the project's event log, in Dagster's usual folder of that home
        storage = instance.event_log_storage
        assert type(storage).__name__ == "KeptOpenSqliteEventLogStorage"
        assert storage._base_dir == str(REPO_ROOT / ".dagster" / "history" / "runs")
    assert (REPO_ROOT / ".dagster" / "dagster.yaml").exists()
    assert "DAGSTER_HOME" not in os.environ  # found, never written

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with nightly_instance() as instance:
        assert instance.root_directory == str(tmp_path)


def test_sample_values_already_in_canonical_form_are_unchanged(nightly_twice):
    warehouse, _ = nightly_twice
    checked, changed = canonical_values_checked_and_changed(warehouse.build_db_path)
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        refanged = connection.execute(
            "select count(*) from intermediate.int_indicators_normalized "
            "where original_value like '%[.]%' or original_value ilike 'hxxp%'"
        ).fetchone()[0]

    assert checked > 20 and changed == 0
    assert refanged > 0  # the samples hold defanged values too, and those did change


def test_every_query_in_the_readme_runs_on_the_analysts_file(nightly_twice):
    warehouse, _ = nightly_twice

    blocks = re.findall(r"```sql\n(.*?)```", (REPO_ROOT / "README.md").read_text(), re.S)
    statements = [s.strip() for block in blocks for s in block.split(";") if s.strip()]

    assert len(statements) >= 3
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        answered = [connection.execute(statement).fetchall() for statement in statements]
    assert all(rows for rows in answered[:1])  # the sample drops answer the first question
