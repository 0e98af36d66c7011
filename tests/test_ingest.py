"""Ingestion without Dagster: registry statuses, errors, landing and idempotency."""

import json
import os

import pyarrow.parquet as pq

from orchestration.ingest import ingest_drops
from orchestration.landing import landed_file_path, read_registry
from orchestration.settings import load_settings
from tests.conftest import FIXTURES

POISONIVY = (FIXTURES / "stix" / "poisonivy.json").read_bytes()


def registry_by_name(settings):
    return {entry.file_name: entry for entry in read_registry(settings.registry_path)}


def test_each_delivered_file_gets_one_registry_row(warehouse):
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    warehouse.drop("aegis-labs", "2026-11-03", "again.json", POISONIVY)
    warehouse.drop("aegis-labs", "2026-11-03", "cut.json", POISONIVY[:5000])
    warehouse.drop("aegis-labs", "2026-11-03", "nothing.json", b"")
    warehouse.drop("aegis-labs", "2026-11-03", "garbage.bin", bytes(range(256)) * 4)
    warehouse.drop("unknown-partner", "2026-11-03", "bundle.json", POISONIVY)
    warehouse.drop("aegis-labs", "not-a-date", "bundle.json", POISONIVY)
    settings = load_settings()

    summary = ingest_drops(settings)

    rows = registry_by_name(settings)
    assert {name: row.status for name, row in rows.items()} == {
        "aegis-labs/2026-11-02/poisonivy.json": "loaded",
        "aegis-labs/2026-11-03/again.json": "duplicate",
        "aegis-labs/2026-11-03/cut.json": "rejected",
        "aegis-labs/2026-11-03/nothing.json": "empty",
        "aegis-labs/2026-11-03/garbage.bin": "rejected",
        "unknown-partner/2026-11-03/bundle.json": "rejected",
        "aegis-labs/not-a-date/bundle.json": "rejected",
    }
    assert len(summary.new_entries) == 7
    assert rows["aegis-labs/2026-11-03/cut.json"].error.startswith(
        "aegis-labs/2026-11-03/cut.json: invalid JSON at line"
    )
    assert "unknown-partner" in rows["unknown-partner/2026-11-03/bundle.json"].error
    assert "not a date" in rows["aegis-labs/not-a-date/bundle.json"].error
    assert "format 'unknown'" in rows["aegis-labs/2026-11-03/garbage.bin"].error
    loaded = rows["aegis-labs/2026-11-02/poisonivy.json"]
    assert loaded.records_received == 155
    assert rows["aegis-labs/2026-11-03/again.json"].file_sha256 == loaded.file_sha256


def test_records_received_equals_records_in_landing(warehouse):
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    settings = load_settings()

    ingest_drops(settings)

    (entry,) = read_registry(settings.registry_path)
    landed = pq.read_table(landed_file_path(settings.landing_dir, entry.file_sha256))
    assert landed.num_rows == entry.records_received == 155
    first = landed.slice(0, 1).to_pylist()[0]
    assert first["partner_id"] == "aegis-labs"
    assert first["record_locator"] == "$.objects[0]"
    assert json.loads(first["record"]) == json.loads(POISONIVY)["objects"][0]


def test_rerun_changes_nothing(warehouse):
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    warehouse.drop("aegis-labs", "2026-11-03", "cut.json", POISONIVY[:5000])
    settings = load_settings()
    ingest_drops(settings)
    registry_before = read_registry(settings.registry_path)
    files_before = {p: p.stat().st_mtime_ns for p in settings.landing_dir.rglob("*.parquet")}

    summary = ingest_drops(settings)

    assert summary.new_entries == []
    assert read_registry(settings.registry_path) == registry_before
    files_after = {p: p.stat().st_mtime_ns for p in settings.landing_dir.rglob("*.parquet")}
    assert files_after == files_before


def test_symlinks_are_registered_not_followed(warehouse, tmp_path):
    secret = tmp_path / "outside.json"
    secret.write_bytes(POISONIVY)
    folder = warehouse.drops_dir / "aegis-labs" / "2026-11-02"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "link.json")
    os.symlink(tmp_path, warehouse.drops_dir / "aegis-labs" / "2026-11-09")
    settings = load_settings()

    ingest_drops(settings)

    rows = registry_by_name(settings)
    assert rows["aegis-labs/2026-11-02/link.json"].status == "rejected"
    assert "symbolic link" in rows["aegis-labs/2026-11-02/link.json"].error
    assert rows["aegis-labs/2026-11-09"].status == "rejected"
    assert not settings.landing_dir.joinpath("records").exists()


def test_damaged_objects_land_with_their_reason(warehouse):
    bundle = {"type": "bundle", "id": "bundle--1", "objects": [{"type": "malware"}, 42]}
    warehouse.drop("aegis-labs", "2026-11-02", "b.json", json.dumps(bundle).encode())
    settings = load_settings()

    ingest_drops(settings)

    (entry,) = read_registry(settings.registry_path)
    assert entry.status == "loaded" and entry.records_received == 2
    landed = pq.read_table(landed_file_path(settings.landing_dir, entry.file_sha256)).to_pylist()
    assert [row["parse_error"] for row in landed] == [None, "STIX object is not a JSON object"]
