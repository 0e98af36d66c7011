"""The raw tables dbt reads follow the landing zone: appended night after night, rebuilt when
the landing zone is not the one they were built from."""

from datetime import date

import duckdb

from orchestration.landing.ingest import ingest_drops
from orchestration.landing.landing_zone import load_raw_tables
from tests.conftest import REAL_DATA

STIX = (REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes()
MISP = (REAL_DATA / "misp_event_circl_asert_2016.json").read_bytes()


def landed_rows(connection):
    return connection.execute(
        "select * from raw.landed_records order by file_sha256, record_locator"
    ).fetchall()


def load(db_path, settings):
    with duckdb.connect(str(db_path)) as connection:
        load_raw_tables(connection, settings.landing_dir, settings.registry_path)
        return landed_rows(connection), connection.execute(
            "select count(*) from raw.drop_files"
        ).fetchone()[0]


def test_a_second_night_appends_and_matches_a_rebuild(warehouse, tmp_path):
    settings = warehouse.settings()
    kept = tmp_path / "kept.duckdb"
    warehouse.drop("aegis-labs", "2026-11-02", "bundle.json", STIX)
    ingest_drops(settings)
    first_night, _ = load(kept, settings)

    warehouse.drop("nordic-cert", "2026-11-03", "event.json", MISP)
    warehouse.drop("nordic-cert", "2026-11-03", "again.json", MISP)
    ingest_drops(settings)
    second_night, registered = load(kept, settings)
    rebuilt, _ = load(tmp_path / "fresh.duckdb", settings)

    assert registered == 3
    assert len(second_night) > len(first_night) > 0
    assert second_night == rebuilt
    assert set(first_night) <= set(second_night)


def test_a_replaced_landing_zone_rebuilds_the_table(warehouse, tmp_path):
    kept = tmp_path / "kept.duckdb"
    warehouse.drop("aegis-labs", "2026-11-02", "bundle.json", STIX)
    settings = warehouse.settings()
    ingest_drops(settings)
    load(kept, settings)

    warehouse.drop("nordic-cert", "2026-11-03", "event.json", MISP)
    other = warehouse.settings(landing_dir=str(tmp_path / "other-landing"))
    ingest_drops(other, delivery_dates=[date(2026, 11, 3)])
    rows, _ = load(kept, other)

    assert rows == load(tmp_path / "fresh.duckdb", other)[0]
    assert {row[1] for row in rows} == {"nordic-cert"}  # nothing left of the old landing zone


def test_a_large_night_is_counted_by_the_connection_that_loaded_it(warehouse, tmp_path):
    """Enough records for DuckDB to write row groups straight to storage."""
    for day in ("2026-11-02", "2026-11-03", "2026-11-04"):
        lines = "".join(
            f'{{"indicator": "h{n}.{day}.example", "type": "domain", "count": {n}}}\n'
            for n in range(60_000)
        )
        warehouse.drop("harbor-isp", day, "sightings.jsonl", lines.encode())
    settings = warehouse.settings()
    summary = ingest_drops(settings)

    with duckdb.connect(str(tmp_path / "kept.duckdb")) as connection:
        files, records = load_raw_tables(connection, settings.landing_dir, settings.registry_path)
        counted = connection.execute("select count(*) from raw.landed_records").fetchone()[0]
        in_view = connection.execute("select count(*) from raw.jsonl_records").fetchone()[0]

    assert files == 3
    assert records["jsonl"] == in_view == counted == 180_000
    assert sum(records.values()) == sum(e.records_received for e in summary.new_entries)
