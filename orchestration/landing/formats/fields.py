"""Column names to canonical fields, from the header-synonym seeds (mapping is data, not code).

A table's record kind (ioc, incident, claim, ...) is the kind whose required fields its
headers cover; headers are matched without regard to case, spaces, `_` and `-`
(`First Seen`, `first_seen`, `first-seen`), partner-specific synonyms first.

A header that says its times are UTC (`first_seen_utc`, `Last Seen (UTC)`) maps like the same
header without the marker, and a time field read from it is written as `<field>_utc`, so
normalization reads it as UTC whatever the partner's own time zone.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.landing.formats.records import FileRejected

UTC_SUFFIX = "_utc"
# `utc` as a word of its own at the end of a header: `seen_utc`, `seen (UTC)`, `seen [utc]`
_UTC_MARKER = re.compile(r"(?:\s+|\s*[(\[])utc[)\]]?$")


def normalize_header(header: object) -> str:
    """A header as compared: lower case, `_`, `-` and runs of spaces as one space."""
    return re.sub(r"[\s_-]+", " ", str(header if header is not None else "")).strip().lower()


def without_utc_marker(header: str) -> str | None:
    """The normalized header without its UTC marker; None when it has none."""
    stripped = _UTC_MARKER.sub("", header)
    return stripped if stripped != header and stripped else None


def base_field(field_name: str | None) -> str | None:
    """The canonical field a record key stands for (`first_seen_utc` is `first_seen`)."""
    if field_name is not None and field_name.endswith(UTC_SUFFIX):
        return field_name[: -len(UTC_SUFFIX)]
    return field_name


def _positions(numbers: list[int], most: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:most])
    return shown + (f", ... ({len(numbers)} in all)" if len(numbers) > most else "")


@dataclass(frozen=True)
class HeaderMapping:
    """How the columns of one file map to the fields of its record kind."""

    record_kind: str
    fields: tuple[str | None, ...]  # per column: record key (field, or `<field>_utc`) or None
    headers: tuple[str, ...]

    @property
    def unmapped(self) -> list[str]:
        return [h for h, f in zip(self.headers, self.fields, strict=True) if f is None]


@dataclass
class FieldVocabulary:
    """The seeds `record_fields` and `header_synonyms`, loaded."""

    required: dict[str, set[str]] = field(default_factory=dict)
    time_fields: set[tuple[str, str]] = field(default_factory=set)  # (record kind, field)
    synonyms: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> FieldVocabulary:
        vocabulary = cls()
        with (seeds_dir / "record_fields.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                required = vocabulary.required.setdefault(row["record_kind"], set())
                if row["required"].strip().lower() == "true":
                    required.add(row["field"])
                if row["is_time"].strip().lower() == "true":
                    vocabulary.time_fields.add((row["record_kind"], row["field"]))
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

    def nested_prefixes(self, partner_id: str) -> frozenset[str]:
        """Keys of JSON objects that some synonym reaches into (`observable` for a synonym
        `observable.value`): such objects are read by their dotted paths."""
        return frozenset(
            header.split(".", 1)[0]
            for (_, partner), lookup in self.synonyms.items()
            if partner in ("*", partner_id)
            for header in lookup
            if "." in header
        )

    def _field_of(self, kind: str, lookup: dict[str, str], header: str) -> str | None:
        bare = without_utc_marker(header)
        found = lookup.get(header) or (lookup.get(bare) if bare else None)
        if bare and found is not None and (kind, found) in self.time_fields:
            return found + UTC_SUFFIX
        return found

    def map_headers(
        self,
        headers: list[str],
        partner_id: str,
        kinds: tuple[str, ...] | None = None,
        *,
        one_column_per_field: bool = True,
    ) -> HeaderMapping:
        """Pick the record kind these headers describe, or reject the file saying why.

        With `one_column_per_field` (tables), two columns for one field reject the file; JSON
        lines may spell a field differently from line to line and check each line instead.
        """
        normalized = [normalize_header(h) for h in headers]
        candidates = []
        for kind in kinds or tuple(self.required):
            lookup = self._lookup(kind, partner_id)
            fields = tuple(self._field_of(kind, lookup, h) for h in normalized)
            missing = self.required[kind] - {base_field(f) for f in fields}
            candidates.append((len(missing), -sum(f is not None for f in fields), kind, fields))
        candidates.sort()
        missing_count, _, kind, fields = candidates[0]
        mapping = HeaderMapping(kind, fields, tuple(str(h) for h in headers))
        if missing_count:
            missing = sorted(self.required[kind] - {base_field(f) for f in fields})
            # positions, never the header texts: a file without a header line would put its
            # first record (a victim's name, a TLP:RED value) into the error
            unmapped = [n for n, f in enumerate(fields, start=1) if f is None]
            raise FileRejected(
                f"columns match no record kind: {len(unmapped)} of {len(fields)} columns "
                f"unmapped (positions {_positions(unmapped)}); closest kind {kind!r} lacks "
                f"required field(s) {missing} (is the header line missing? else add its "
                "headers to seeds/reference/header_synonyms.csv)"
            )
        bases = [base_field(f) for f in fields]
        duplicates = {f for f in bases if f is not None and bases.count(f) > 1}
        if duplicates and one_column_per_field:
            raise FileRejected(f"several columns map to the same field(s) {sorted(duplicates)}")
        return mapping
