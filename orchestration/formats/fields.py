"""Column names to canonical fields, from the header-synonym seeds (mapping is data, not code).

A table's record kind (ioc, incident, claim, ...) is the kind whose required fields its
headers cover; headers are matched case-insensitively, partner-specific synonyms first.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.formats.records import FileRejected


def normalize_header(header: object) -> str:
    return re.sub(r"\s+", " ", str(header if header is not None else "")).strip().lower()


@dataclass(frozen=True)
class HeaderMapping:
    """How the columns of one file map to the fields of its record kind."""

    record_kind: str
    fields: tuple[str | None, ...]  # per column: canonical field, None when unmapped
    headers: tuple[str, ...]

    @property
    def unmapped(self) -> list[str]:
        return [h for h, f in zip(self.headers, self.fields, strict=True) if f is None]


@dataclass
class FieldVocabulary:
    """The seeds `record_fields` and `header_synonyms`, loaded."""

    required: dict[str, set[str]] = field(default_factory=dict)
    synonyms: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> FieldVocabulary:
        vocabulary = cls()
        with (seeds_dir / "record_fields.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                required = vocabulary.required.setdefault(row["record_kind"], set())
                if row["required"].strip().lower() == "true":
                    required.add(row["field"])
        synonyms: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        with (seeds_dir / "header_synonyms.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                key = (row["record_kind"], row["partner_id"])
                synonyms[key][normalize_header(row["header"])] = row["field"]
        vocabulary.synonyms = dict(synonyms)
        return vocabulary

    def _lookup(self, record_kind: str, partner_id: str) -> dict[str, str]:
        merged = dict(self.synonyms.get((record_kind, "*"), {}))
        merged.update(self.synonyms.get((record_kind, partner_id), {}))
        return merged

    def map_headers(
        self, headers: list[str], partner_id: str, kinds: tuple[str, ...] | None = None
    ) -> HeaderMapping:
        """Pick the record kind these headers describe, or reject the file saying why."""
        normalized = [normalize_header(h) for h in headers]
        candidates = []
        for kind in kinds or tuple(self.required):
            lookup = self._lookup(kind, partner_id)
            fields = tuple(lookup.get(h) for h in normalized)
            missing = self.required[kind] - set(fields)
            candidates.append((len(missing), -sum(f is not None for f in fields), kind, fields))
        candidates.sort()
        missing_count, _, kind, fields = candidates[0]
        mapping = HeaderMapping(kind, fields, tuple(str(h) for h in headers))
        if missing_count:
            missing = sorted(self.required[kind] - set(fields))
            raise FileRejected(
                f"columns match no record kind: unmapped columns {mapping.unmapped}; "
                f"closest kind {kind!r} lacks required field(s) {missing} "
                "(add a row to seeds/reference/header_synonyms.csv)"
            )
        duplicates = {f for f in fields if f is not None and fields.count(f) > 1}
        if duplicates:
            raise FileRejected(f"several columns map to the same field(s) {sorted(duplicates)}")
        return mapping
