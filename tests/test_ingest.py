"""Ingestion without Dagster: registry statuses, errors, landing and idempotency."""

import hashlib
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from orchestration.landing import file_hashes
from orchestration.landing.ingest import ingest_drops
from orchestration.landing.landing_zone import landed_file_path
from orchestration.landing.registry import read_registry
from tests.conftest import REAL_DATA

POISONIVY = (REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes()


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
    settings = warehouse.settings()

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
    settings = warehouse.settings()

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
    settings = warehouse.settings()
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
    settings = warehouse.settings()

    ingest_drops(settings)

    rows = registry_by_name(settings)
    assert rows["aegis-labs/2026-11-02/link.json"].status == "rejected"
    assert "symbolic link" in rows["aegis-labs/2026-11-02/link.json"].error
    assert rows["aegis-labs/2026-11-09"].status == "rejected"
    assert not settings.landing_dir.joinpath("records").exists()


def test_damaged_objects_land_with_their_reason(warehouse):
    bundle = {"type": "bundle", "id": "bundle--1", "objects": [{"type": "malware"}, 42]}
    warehouse.drop("aegis-labs", "2026-11-02", "b.json", json.dumps(bundle).encode())
    settings = warehouse.settings()

    ingest_drops(settings)

    (entry,) = read_registry(settings.registry_path)
    assert entry.status == "loaded" and entry.records_received == 2
    landed = pq.read_table(landed_file_path(settings.landing_dir, entry.file_sha256)).to_pylist()
    assert [row["parse_error"] for row in landed] == [None, "STIX object is not a JSON object"]


def _landed_by_name(settings):
    landed = {}
    for entry in read_registry(settings.registry_path):
        rows = None
        if entry.status == "loaded":
            path = landed_file_path(settings.landing_dir, entry.file_sha256)
            rows = pq.read_table(path).to_pylist()
        landed[entry.file_name] = (entry.status, entry.error, entry.records_received, rows)
    return landed


def test_worker_processes_land_exactly_what_one_process_lands(warehouse):
    warehouse.copy_sample_drops()
    bundle = POISONIVY + b"\n"  # not the sample drop's bytes
    warehouse.drop("aegis-labs", "2026-11-03", "again.json", bundle)
    warehouse.drop("aegis-labs", "2026-11-04", "poisonivy.json", bundle)
    warehouse.drop("aegis-labs", "2026-11-04", "cut.json", POISONIVY[:5000])
    warehouse.drop("aegis-labs", "2026-11-05", "cut-again.json", POISONIVY[:5000])
    now = datetime(2026, 11, 6, 2, 0, tzinfo=UTC)
    one = warehouse.settings(ingest_workers=1)
    assert ingest_drops(one, now=now).processes == 1
    one_process = _landed_by_name(one)

    two = warehouse.settings(
        landing_dir=str(warehouse.root / "parallel-landing"), ingest_workers=2, parallel_min_bytes=0
    )
    assert ingest_drops(two, now=now).processes == 2
    in_workers = _landed_by_name(two)

    assert in_workers == one_process
    assert one_process["aegis-labs/2026-11-03/again.json"][0] == "loaded"
    assert one_process["aegis-labs/2026-11-04/poisonivy.json"][0] == "duplicate"
    assert one_process["aegis-labs/2026-11-05/cut-again.json"][:2] == (
        "rejected",
        one_process["aegis-labs/2026-11-04/cut.json"][1].replace("11-04/cut", "11-05/cut-again"),
    )
    assert sum(status == "loaded" for status, *_ in one_process.values()) > 10


@pytest.mark.parametrize("workers", [1, 2])
def test_a_landing_zone_that_cannot_be_written_fails_the_run(warehouse, workers):
    warehouse.copy_sample_drops()
    settings = warehouse.settings(ingest_workers=workers, parallel_min_bytes=0)
    settings.landing_dir.mkdir(parents=True)
    (settings.landing_dir / "records").write_text("not a folder")  # where Parquet files go

    with pytest.raises(OSError):
        ingest_drops(settings)

    assert not settings.registry_path.exists()  # nothing registered as landed


def test_a_worker_that_cannot_write_the_landing_zone_fails_the_run(tmp_path, monkeypatch):
    """The main process lands the larger file; the worker's file cannot be written."""
    from orchestration.landing.file_landing import LandingTask, land_files
    from orchestration.landing.formats.fields import FieldVocabulary
    from orchestration.settings import REFERENCE_SEEDS_DIR

    vocabulary = FieldVocabulary.from_seeds(REFERENCE_SEEDS_DIR)
    broken = tmp_path / "broken-landing"
    broken.mkdir()
    (broken / "records").write_text("not a folder")
    tasks = []
    for name, content, landing in [
        ("big.json", POISONIVY, tmp_path / "landing"),
        ("small.json", POISONIVY[:-2] + b" }", broken),  # other bytes, same bundle
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        sha = hashlib.sha256(content).hexdigest()
        tasks.append(
            LandingTask(path, name, sha, "aegis-labs", date(2026, 11, 2), landing, vocabulary)
        )

    with pytest.raises(OSError):
        land_files(tasks, workers=2, parallel_min_bytes=0)


def test_identical_bytes_are_credited_to_the_earliest_delivery_whatever_the_path(warehouse):
    # "aegis-labs" sorts before "nordic-cert", but nordic-cert delivered the bytes ten days
    # earlier: its delivery is the one loaded, the later copy is the duplicate
    warehouse.drop("aegis-labs", "2026-11-12", "copy.json", POISONIVY)
    warehouse.drop("nordic-cert", "2026-11-02", "original.json", POISONIVY)
    settings = warehouse.settings()

    ingest_drops(settings)

    rows = registry_by_name(settings)
    assert rows["nordic-cert/2026-11-02/original.json"].status == "loaded"
    assert rows["aegis-labs/2026-11-12/copy.json"].status == "duplicate"


def test_a_file_that_vanishes_while_the_night_reads_waits_for_the_next_night(
    warehouse, monkeypatch
):
    warehouse.drop("aegis-labs", "2026-11-02", "kept.json", POISONIVY)
    vanishing = warehouse.drop("aegis-labs", "2026-11-02", "uploading.json", POISONIVY + b" ")
    settings = warehouse.settings()
    real_sha256_of = file_hashes.sha256_of

    def sha256_of(path):
        if path == vanishing:
            vanishing.unlink()  # the partner's upload tool moved it away mid-night
        return real_sha256_of(path)

    monkeypatch.setattr(file_hashes, "sha256_of", sha256_of)

    ingest_drops(settings)

    assert set(registry_by_name(settings)) == {"aegis-labs/2026-11-02/kept.json"}


def _bytes_read_by_this_process() -> int:
    """What this process read through read() calls so far (Linux's /proc/self/io)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("/proc/self/io has no rchar")


@pytest.fixture
def settled_at_once(monkeypatch):
    """Files count as settled as soon as they are written (the tests write and read them
    within the same second)."""
    monkeypatch.setattr(file_hashes, "SETTLED_SECONDS", 0)


def test_a_night_does_not_read_again_the_files_earlier_nights_read(warehouse, settled_at_once):
    big = bytes(range(256)) * (64 * 1024)  # 16 MiB an earlier night rejected
    warehouse.drop("aegis-labs", "2026-11-02", "archive.bin", big)
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    settings = warehouse.settings()
    ingest_drops(settings)
    warehouse.drop("aegis-labs", "2026-11-03", "tonight.json", POISONIVY + b"\n")

    before = _bytes_read_by_this_process()
    summary = ingest_drops(settings)
    read = _bytes_read_by_this_process() - before

    assert [entry.file_name for entry in summary.new_entries] == [
        "aegis-labs/2026-11-03/tonight.json"
    ]
    assert read < len(big) / 4, f"the night read {read:,} bytes"


def test_a_file_rewritten_with_the_same_size_and_times_is_read_again(warehouse, settled_at_once):
    path = warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    settings = warehouse.settings()
    ingest_drops(settings)
    stat = path.stat()
    rewritten = POISONIVY.replace(b"Poison Ivy", b"Poison Oak", 1)
    assert len(rewritten) == len(POISONIVY) and rewritten != POISONIVY
    path.write_bytes(rewritten)  # in place, then its times set back as they were
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    summary = ingest_drops(settings)

    assert [entry.file_sha256 for entry in summary.new_entries] == [
        hashlib.sha256(rewritten).hexdigest()
    ]


def test_an_unreadable_record_of_hashes_only_means_reading_every_file_again(
    warehouse, settled_at_once
):
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    settings = warehouse.settings()
    ingest_drops(settings)
    settings.file_hashes_path.write_bytes(b"not parquet")
    registry_before = read_registry(settings.registry_path)

    summary = ingest_drops(settings)

    assert summary.new_entries == []
    assert read_registry(settings.registry_path) == registry_before
    assert pq.read_table(settings.file_hashes_path).column("file_sha256").to_pylist() == [
        hashlib.sha256(POISONIVY).hexdigest()
    ]


def test_a_file_hashed_just_after_it_was_written_is_read_again_the_next_night(
    warehouse, monkeypatch
):
    # however slow the machine, the file is read within this of being written
    monkeypatch.setattr(file_hashes, "SETTLED_SECONDS", 600)
    big = bytes(range(256)) * (64 * 1024)  # 16 MiB written a moment before the night
    warehouse.drop("aegis-labs", "2026-11-02", "archive.bin", big)
    settings = warehouse.settings()
    ingest_drops(settings)

    before = _bytes_read_by_this_process()
    ingest_drops(settings)

    assert _bytes_read_by_this_process() - before >= len(big)


def test_a_file_whose_bytes_landing_found_changed_is_hashed_again(
    warehouse, settled_at_once, monkeypatch
):
    path = warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    settings = warehouse.settings()
    real_sha256_of = file_hashes.sha256_of
    # the bytes changed after they were hashed, and the file's times did not show it
    monkeypatch.setattr(file_hashes, "sha256_of", lambda _: hashlib.sha256(b"before").hexdigest())
    (first,) = ingest_drops(settings).new_entries
    monkeypatch.setattr(file_hashes, "sha256_of", real_sha256_of)

    (second,) = ingest_drops(settings).new_entries

    assert first.status == "rejected" and "file changed" in first.error
    assert (second.status, second.file_sha256) == ("loaded", real_sha256_of(path))


def test_the_hashes_follow_the_drops_folder(warehouse, settled_at_once):
    gone = warehouse.drop("aegis-labs", "2026-11-02", "gone.json", POISONIVY)
    warehouse.drop("aegis-labs", "2026-11-03", "tonight.json", POISONIVY + b" ")
    warehouse.drop("aegis-labs", "2026-11-04", "other-day.json", POISONIVY + b"  ")
    settings = warehouse.settings()
    ingest_drops(settings)
    gone.unlink()

    ingest_drops(settings, delivery_dates=[date(2026, 11, 3)])

    kept = pq.read_table(settings.file_hashes_path).column("relative_path").to_pylist()
    assert kept == ["aegis-labs/2026-11-03/tonight.json", "aegis-labs/2026-11-04/other-day.json"]


def test_inode_numbers_past_two_to_the_63_are_kept(warehouse, settled_at_once, monkeypatch):
    warehouse.drop("aegis-labs", "2026-11-02", "poisonivy.json", POISONIVY)
    settings = warehouse.settings()
    real_identity = file_hashes._identity

    def on_a_fuse_mount(path):  # hashed inode numbers use all 64 bits
        size, mtime_ns, ctime_ns, _, device = real_identity(path)
        return size, mtime_ns, ctime_ns, 2**64 - 5, device

    monkeypatch.setattr(file_hashes, "_identity", on_a_fuse_mount)
    ingest_drops(settings)

    assert pq.read_table(settings.file_hashes_path).column("inode").to_pylist() == [2**64 - 5]
