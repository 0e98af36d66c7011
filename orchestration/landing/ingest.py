"""One night's ingestion: register every delivered file, parse the new ones, land their records.

Plain Python, testable without Dagster. Nothing here raises for a bad file: a file that cannot
be used is registered as `rejected` with an error that names what is wrong, and the rest loads.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from orchestration.landing.drops import (
    DeliveredFile,
    discover_drops,
    registered_partners,
)
from orchestration.landing.file_hashes import FileHashes
from orchestration.landing.file_landing import LandingTask, land_files, prepare_workers
from orchestration.landing.formats.fields import FieldVocabulary
from orchestration.landing.landing_zone import landed_file_path
from orchestration.landing.registry import RegistryEntry, read_registry, write_registry
from orchestration.settings import REFERENCE_SEEDS_DIR, Settings

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    """What one ingestion pass did, for the run's metadata and logs."""

    new_entries: list[RegistryEntry] = field(default_factory=list)
    registry_size: int = 0
    processes: int = 1  # processes that shared the parsing and landing
    peak_rss_mb: float = 0.0  # the largest peak memory of any of them

    @property
    def status_counts(self) -> dict[str, int]:
        return dict(Counter(entry.status for entry in self.new_entries))

    @property
    def rejected(self) -> list[RegistryEntry]:
        return [entry for entry in self.new_entries if entry.status == "rejected"]


@dataclass
class _Candidate:
    """A file the registry has not seen, and what is known of it before parsing."""

    delivered: DeliveredFile
    sha: str | None
    verdict: tuple[str, str | None] | None = None  # (status, error) decided without parsing


def _precheck(
    delivered: DeliveredFile,
    sha: str | None,
    partners: set[str],
    landed_shas: set[str],
    max_file_bytes: int,
) -> tuple[str, str | None] | None:
    """Status and error of a file that need not be parsed; None when it must be parsed."""
    if delivered.problem or sha is None:
        return "rejected", delivered.problem or "unreadable"
    if delivered.partner_id not in partners:
        return (
            "rejected",
            f"partner {delivered.partner_id!r} is not in the partner registry: "
            "the whole drop is rejected",
        )
    size = delivered.path.stat().st_size
    if size > max_file_bytes:
        return "rejected", f"file is {size} bytes, over the {max_file_bytes}-byte limit"
    if sha in landed_shas:
        return "duplicate", "same bytes already delivered and loaded"
    return None


def _entry(
    delivered: DeliveredFile,
    sha: str | None,
    now: datetime,
    status: str,
    error: str | None = None,
    file_format: str | None = None,
    records: int = 0,
) -> RegistryEntry:
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


def _expected_bytes(files: list[DeliveredFile]) -> int:
    total = 0
    for delivered in files:
        with suppress(OSError):
            total += 0 if delivered.problem else delivered.path.stat().st_size
    return total


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
    as `duplicate` (in one run, the earliest delivery is the one parsed, then path order).
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
    wanted = None if delivery_dates is None else set(delivery_dates)
    files = sorted(  # the earliest delivery of some bytes is the one credited with them
        (
            delivered
            for delivered in discover_drops(settings.drops_dir)
            if wanted is None or delivered.delivered_on is None or delivered.delivered_on in wanted
        ),
        key=lambda delivered: (delivered.delivered_on or date.max, delivered.relative_path),
    )
    prepare_workers(_expected_bytes(files), settings.ingest_workers, settings.parallel_min_bytes)

    hashes = FileHashes(settings.file_hashes_path, settings.drops_dir)
    candidates: list[_Candidate] = []
    tasks: dict[str, LandingTask] = {}  # one task per distinct content: the first file with it
    for delivered in files:
        try:
            sha = (
                None
                if delivered.problem
                else hashes.sha256(delivered.path, delivered.relative_path)
            )
        except FileNotFoundError:  # moved or deleted while the night read the folder
            log.warning("skipped %s: it disappeared while being read", delivered.relative_path)
            continue
        if (delivered.relative_path, sha) in seen:
            continue
        seen.add((delivered.relative_path, sha))
        verdict = _precheck(delivered, sha, partners, landed_shas, settings.max_file_bytes)
        candidate = _Candidate(delivered, sha, verdict)
        candidates.append(candidate)
        if candidate.verdict is None and sha not in tasks:
            assert sha is not None and delivered.partner_id and delivered.delivered_on
            tasks[sha] = LandingTask(
                delivered.path,
                delivered.relative_path,
                sha,
                delivered.partner_id,
                delivered.delivered_on,
                settings.landing_dir,
                vocabulary,
            )

    outcomes, processes = land_files(
        list(tasks.values()), settings.ingest_workers, settings.parallel_min_bytes
    )
    for task in tasks.values():
        # rejected before its format was known: landing could not read the file, or read other
        # bytes than those hashed; the next night reads it again
        outcome = outcomes[task.file_sha256]
        if outcome.status == "rejected" and outcome.format is None:
            hashes.forget(task.relative_path)
    hashes.save()
    summary = IngestSummary(
        processes=processes,
        peak_rss_mb=max((outcome.peak_rss_mb for outcome in outcomes.values()), default=0.0),
    )
    parsed: set[str] = set()
    for candidate in candidates:
        delivered, sha = candidate.delivered, candidate.sha
        if candidate.verdict is not None:
            entry = _entry(delivered, sha, now, *candidate.verdict)
        elif sha in parsed and outcomes[sha].status == "loaded":
            entry = _entry(
                delivered, sha, now, "duplicate", "same bytes already delivered and loaded"
            )
        else:  # the file parsed for this content, or one with the same bytes as a failed one
            outcome = outcomes[sha]
            entry = _entry(
                delivered, sha, now, outcome.status, outcome.error, outcome.format, outcome.records
            )
            parsed.add(sha)
        if entry.status == "rejected":
            log.debug("rejected %s: %s", entry.file_name, entry.reason)
        summary.new_entries.append(entry)
    if summary.new_entries or not settings.registry_path.exists():
        registry.extend(summary.new_entries)
        write_registry(settings.registry_path, registry)
    summary.registry_size = len(registry)
    return summary
