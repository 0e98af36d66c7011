"""A night of hostile deliveries: each file gets the right registry status and a clear error,
and the night still succeeds."""

import os
import random

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from orchestration.landing.ingest import ingest_drops
from orchestration.landing.registry import read_registry
from tests.conftest import REAL_DATA

POISONIVY = (REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes()
IOC_HEADER = "value,type,first_seen,last_seen,confidence,tlp,comment\n"
IOC_ROW = "café.example,domain,2026-11-02T10:00:00Z,,70,TLP:GREEN,crème brûlée\n"


MAX_FILE_BYTES = 3_000_000  # the night's limit here; one file is a byte over it


@pytest.fixture
def hostile_night(warehouse, tmp_path):
    day = ("harbor-isp", "2026-11-02")
    warehouse.drop(*day, "truncated.json", POISONIVY[:20_000])
    warehouse.drop(*day, "empty.csv", b"")
    warehouse.drop(*day, "header-only.csv", IOC_HEADER.encode())
    warehouse.drop(*day, "bom.csv", b"\xef\xbb\xbf" + (IOC_HEADER + IOC_ROW).encode())
    warehouse.drop(*day, "utf16.csv", (IOC_HEADER + IOC_ROW).encode("utf-16"))
    warehouse.drop(*day, "latin1.csv", (IOC_HEADER + IOC_ROW).encode("latin-1"))
    warehouse.drop(
        *day, "ragged.csv", (IOC_HEADER + IOC_ROW + "203.0.113.9,ip\n" + IOC_ROW).encode()
    )
    warehouse.drop(*day, "huge-line.csv", (IOC_HEADER + "x" * 2_000_000 + ",domain\n").encode())
    warehouse.drop(*day, "sightings.jsonl", b'{"indicator": "a.example", "count": 1}\n' * 100)
    # seeded: unseeded noise without a NUL in its first KiB would (rarely) read as text
    warehouse.drop(*day, "garbage.csv", random.Random(2026).randbytes(2048) + b"\x00" * 16)
    warehouse.drop(*day, "unmapped.csv", b"indicateur,genre\nx.example,domaine\n")
    warehouse.drop("aegis-labs", "2026-11-02", "bundle.json", POISONIVY)
    warehouse.drop("aegis-labs", "2026-11-03", "bundle-again.json", POISONIVY)
    warehouse.drop("ghost-partner", "2026-11-02", "feed.csv", (IOC_HEADER + IOC_ROW).encode())
    outside = tmp_path / "outside.csv"
    outside.write_bytes((IOC_HEADER + IOC_ROW).encode())
    os.symlink(outside, warehouse.drops_dir / "harbor-isp" / "2026-11-02" / "link.csv")
    warehouse.drop(*day, "over-limit.jsonl", b" " * (MAX_FILE_BYTES + 1))
    return warehouse


def registry(settings):
    return {e.file_name.rsplit("/", 1)[-1]: e for e in read_registry(settings.registry_path)}


def test_each_hostile_file_is_registered_with_status_and_error(hostile_night):
    settings = hostile_night.settings(max_file_bytes=MAX_FILE_BYTES)

    ingest_drops(settings)

    rows = registry(settings)
    expected = {
        "truncated.json": ("rejected", "invalid JSON at line"),
        "empty.csv": ("empty", None),
        "header-only.csv": ("empty", "no records"),
        "bom.csv": ("loaded", None),
        "utf16.csv": ("loaded", None),
        "latin1.csv": ("loaded", None),
        "ragged.csv": ("loaded", None),
        "huge-line.csv": ("loaded", None),
        "sightings.jsonl": ("loaded", None),
        "garbage.csv": ("rejected", "format 'unknown'"),
        "unmapped.csv": ("rejected", "2 of 2 columns unmapped (positions 1, 2)"),
        "bundle.json": ("loaded", None),
        "bundle-again.json": ("duplicate", "same bytes"),
        "feed.csv": ("rejected", "'ghost-partner' is not in the partner registry"),
        "link.csv": ("rejected", "symbolic link"),
        "over-limit.jsonl": ("rejected", "over the 3000000-byte limit"),
    }
    assert {name: row.status for name, row in rows.items()} == {
        name: status for name, (status, _) in expected.items()
    }
    for name, (_, error) in expected.items():
        if error:
            assert error in rows[name].error, (name, rows[name].error)
    for name in ("truncated.json", "unmapped.csv", "header-only.csv"):
        assert rows[name].file_name in rows[name].error  # errors name the file


def test_encodings_are_decoded_not_guessed(hostile_night):
    settings = hostile_night.settings(max_file_bytes=MAX_FILE_BYTES)
    ingest_drops(settings)

    with duckdb.connect() as connection:
        values = connection.execute(
            "select r.file_sha256, json_extract_string(r.record, '$.value'), r.parse_error "
            "from read_parquet(?) as r",
            [str(settings.landing_dir / "records" / "*.parquet")],
        ).fetchall()
    rows = registry(settings)
    by_file = {}
    for sha, value, error in values:
        by_file.setdefault(sha, []).append((value, error))
    for name in ("bom.csv", "utf16.csv", "latin1.csv"):
        assert by_file[rows[name].file_sha256] == [("café.example", None)], name
    ragged = by_file[rows["ragged.csv"].file_sha256]
    assert [error for _, error in ragged] == [None, "row has 2 cells, the header has 7", None]
    (huge,) = by_file[rows["huge-line.csv"].file_sha256]
    assert "over the 1048576 limit" in huge[1]


def test_the_night_succeeds_and_shows_the_failures(hostile_night):
    result = run_nightly(
        DagsterInstance.ephemeral(),
        warehouse=hostile_night.configured(max_file_bytes=MAX_FILE_BYTES),
    )

    assert result.success
    with duckdb.connect(str(hostile_night.build_db_path), read_only=True) as connection:
        statuses = dict(
            connection.execute("select status, count(*) from raw.drop_files group by 1").fetchall()
        )
        quarantined = connection.execute(
            "select count(*) from intermediate.quarantine where reason_code = 'damaged_record'"
        ).fetchone()[0]
    assert statuses == {"loaded": 7, "duplicate": 1, "empty": 2, "rejected": 6}
    assert quarantined == 2  # the ragged row and the huge line
    materialization = result.asset_materializations_for_node("partner_drops")[0]
    rejected = materialization.metadata["rejected_files"].value
    assert any("truncated.json" in line for line in rejected)
