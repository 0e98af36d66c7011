"""One night's ingestion: register every delivered file, parse the new ones, land their records.

Plain Python, testable without Dagster. Nothing here raises for a bad file: a file that cannot
be used is registered as `rejected` with an error that names what is wrong, and the rest loads.
"""

from __future__ import annotations

import gc
import logging
import os
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from orchestration.drops import DeliveredFile, discover_drops, registered_partners, sha256_of
from orchestration.formats.context import ParseContext
from orchestration.formats.detect import detect_format
from orchestration.formats.fields import FieldVocabulary
from orchestration.formats.parsers import PARSERS
from orchestration.formats.records import FileRejected
from orchestration.landing import (
    RegistryEntry,
    land_records,
    landed_file_path,
    read_registry,
    write_registry,
)
from orchestration.settings import REFERENCE_SEEDS_DIR, Settings

log = logging.getLogger(__name__)

MAX_FILE_BYTES = int(os.environ.get("CCW_MAX_FILE_BYTES", str(512 * 1024 * 1024)))


@dataclass
class IngestSummary:
    """What one ingestion pass did, for the run's metadata and logs."""

    new_entries: list[RegistryEntry] = field(default_factory=list)
    registry_size: int = 0

    @property
    def status_counts(self) -> dict[str, int]:
        return dict(Counter(entry.status for entry in self.new_entries))

    @property
    def rejected(self) -> list[RegistryEntry]:
        return [entry for entry in self.new_entries if entry.status == "rejected"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing builds hundreds of thousands of small objects that all stay alive until they are
    landed; the cyclic garbage collector would rescan them over and over for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _ingest_file(
    delivered: DeliveredFile,
    sha: str | None,
    settings: Settings,
    partners: set[str],
    vocabulary: FieldVocabulary,
    landed_shas: set[str],
    now: datetime,
) -> RegistryEntry:
    """Decide what one delivered file is, land it if it is good, and say so in the registry."""
    file_format: str | None = None

    def registered(status: str, error: str | None = None, records: int = 0) -> RegistryEntry:
        return RegistryEntry(
            file_sha256=sha,
            partner_id=delivered.partner_id,
            delivered_on=delivered.delivered_on,
            file_name=delivered.relative_path,
            format=file_format,
            status=status,
            error=f"{delivered.relative_path}: {error}" if error else None,
            records_received=records,
            loaded_at=now,
        )

    if delivered.problem or sha is None:
        return registered("rejected", delivered.problem or "unreadable")
    if delivered.partner_id not in partners:
        return registered(
            "rejected",
            f"partner {delivered.partner_id!r} is not in the partner registry: "
            "the whole drop is rejected",
        )
    size = delivered.path.stat().st_size
    if size > MAX_FILE_BYTES:
        return registered("rejected", f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit")
    if sha in landed_shas:
        return registered("duplicate", "same bytes already delivered and loaded")
    data = delivered.path.read_bytes()
    file_format = detect_format(data)
    if file_format == "empty":
        return registered("empty")
    parser = PARSERS.get(file_format)
    if parser is None:
        return registered("rejected", f"no parser for format {file_format!r}")
    assert delivered.partner_id is not None and delivered.delivered_on is not None
    try:
        with _collector_paused():
            records = parser(data, ParseContext(delivered.partner_id, vocabulary))
    except FileRejected as exc:
        return registered("rejected", str(exc))
    except Exception as exc:  # a parser bug must not stop the night: register and go on
        log.exception("parser %s failed on %s", file_format, delivered.relative_path)
        return registered("rejected", f"{file_format} parser failed: {type(exc).__name__}: {exc}")
    if not records:
        return registered("empty", "no records (header or structure only)")
    with _collector_paused():
        land_records(
            settings.landing_dir,
            records,
            file_sha256=sha,
            partner_id=delivered.partner_id,
            delivered_on=delivered.delivered_on,
            source_format=file_format,
        )
    landed_shas.add(sha)
    return registered("loaded", records=len(records))


def ingest_drops(
    settings: Settings,
    delivery_dates: Collection[date] | None = None,
    now: datetime | None = None,
) -> IngestSummary:
    """Register and land every file under the drops folder that the registry has not seen.

    With `delivery_dates`, only those delivery folders are read (a Dagster partition or a
    backfill range); entries that belong to no delivery date (files outside the layout) are
    always registered. A file already registered under the same name with the same bytes is
    left alone, so a re-run changes nothing; the same bytes under another name are registered
    as `duplicate`.
    """
    now = now or datetime.now(UTC)
    partners = registered_partners(REFERENCE_SEEDS_DIR / "partners.csv")
    vocabulary = FieldVocabulary.from_seeds(REFERENCE_SEEDS_DIR)
    registry = read_registry(settings.registry_path)
    seen = {(entry.file_name, entry.file_sha256) for entry in registry}
    landed_shas = {
        entry.file_sha256
        for entry in registry
        if entry.status == "loaded"
        and entry.file_sha256
        and landed_file_path(settings.landing_dir, entry.file_sha256).exists()
    }
    summary = IngestSummary()
    wanted = None if delivery_dates is None else set(delivery_dates)
    for delivered in discover_drops(settings.drops_dir):
        day = delivered.delivered_on
        if wanted is not None and day is not None and day not in wanted:
            continue
        sha = None if delivered.problem else sha256_of(delivered.path)
        if (delivered.relative_path, sha) in seen:
            continue
        entry = _ingest_file(delivered, sha, settings, partners, vocabulary, landed_shas, now)
        if entry.status == "rejected":
            log.warning("rejected %s: %s", entry.file_name, entry.error)
        summary.new_entries.append(entry)
        seen.add((entry.file_name, entry.file_sha256))
    if summary.new_entries or not settings.registry_path.exists():
        registry.extend(summary.new_entries)
        write_registry(settings.registry_path, registry)
    summary.registry_size = len(registry)
    return summary
