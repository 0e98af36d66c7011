"""The shape every parser returns: records with a locator, their content and any damage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple, overload

import numpy as np
import pyarrow as pa


class Record(NamedTuple):
    """One delivered record, before any interpretation.

    `locator` says where it was in the file (a JSON path, a line or a sheet row), `content` is
    the record as JSON text (for tables: canonical field names to cell values), `original` is
    the verbatim source text when it differs from `content` (a CSV line, a JSON line), and
    `error` is set when the record is damaged: it is kept so that normalization can quarantine
    it with its reason instead of losing it.
    """

    locator: str
    record_type: str | None
    content: str
    error: str | None = None
    original: str | None = None


# a record longer than this is damaged, not read (one line, one row, one JSON object)
MAX_RECORD_CHARS = 1 << 20
BODY_SCHEMA = pa.schema(
    [
        ("record_locator", pa.string()),
        ("record_type", pa.string()),
        ("record", pa.string()),
        ("original", pa.string()),
        ("parse_error", pa.string()),
    ]
)


class ParsedRecords:
    """The records of one file, held column by column.

    A large drop has hundreds of thousands of records; five plain lists instead of an object per
    record is what lets parsing and landing keep up. `content` is kept as the UTF-8 JSON bytes
    the serializer produced, so it is never decoded and re-encoded on the way to Parquet. A
    parser that builds its records with Arrow compute hands over a table (`from_arrow`) instead.
    Reading records back (`len`, indexing, iteration) gives `Record`s.
    """

    __slots__ = ("locators", "record_types", "contents", "errors", "originals", "_table")

    def __init__(self) -> None:
        self.locators: list[str] = []
        self.record_types: list[str | None] = []
        self.contents: list[bytes] = []
        self.errors: list[str | None] = []
        self.originals: list[str | None] = []
        self._table: pa.Table | None = None

    @classmethod
    def from_arrow(cls, table: pa.Table) -> ParsedRecords:
        """Records already in columns named and typed as `BODY_SCHEMA`."""
        records = cls()
        records._table = table.select(BODY_SCHEMA.names).cast(BODY_SCHEMA)
        return records

    def add(
        self,
        locator: str,
        record_type: str | None,
        content: bytes,
        error: str | None = None,
        original: str | None = None,
    ) -> None:
        self.locators.append(locator)
        self.record_types.append(record_type)
        self.contents.append(content)
        self.errors.append(error)
        self.originals.append(original)

    def add_sound(self, locators: list[str], record_type: str, contents: list[bytes]) -> None:
        """Many undamaged records of one type, with no original text of their own."""
        self.locators += locators
        self.record_types += [record_type] * len(locators)
        self.contents += contents
        nothing = [None] * len(locators)
        self.errors += nothing
        self.originals += nothing

    def to_arrow(self) -> pa.Table:
        """The records as a table of `BODY_SCHEMA`, in file order."""
        listed = pa.table(
            [
                pa.array(self.locators, pa.string()),
                pa.array(self.record_types, pa.string()),
                # serializer output is UTF-8 bytes: taken as binary, checked, relabelled as text
                pa.array(self.contents, pa.binary()).cast(pa.string()),
                pa.array(self.originals, pa.string()),
                pa.array(self.errors, pa.string()),
            ],
            schema=BODY_SCHEMA,
        )
        if self._table is None:
            return listed
        return pa.concat_tables([self._table, listed]) if self.locators else self._table

    def __len__(self) -> int:
        return len(self.locators) + (self._table.num_rows if self._table is not None else 0)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        records = list(self)
        return records[index]

    def __iter__(self) -> Iterator[Record]:
        for row in self.to_arrow().to_pylist():
            yield Record(
                row["record_locator"],
                row["record_type"],
                row["record"],
                row["parse_error"],
                row["original"],
            )


def in_file_order(tables: list[pa.Table], *, few: int = 4096) -> pa.Table:
    """Rows of several tables (same columns, one of them `position`) merged by position.

    Each table must already be in position order. When all but the largest hold only a few
    rows, theirs are slotted in between slices of the largest, so its big text columns are
    never copied."""
    tables = [table for table in tables if table.num_rows] or tables[:1]
    tables.sort(key=lambda table: table.num_rows, reverse=True)
    largest, rest = tables[0], tables[1:]
    if not rest:
        return largest
    others = pa.concat_tables(rest)
    if others.num_rows > few:
        return pa.concat_tables([largest, others]).sort_by("position")
    others = others.sort_by("position")
    cuts = np.searchsorted(
        largest.column("position").to_numpy(), others.column("position").to_numpy()
    )
    pieces, start = [], 0
    for row, cut in enumerate(cuts.tolist()):
        pieces += [largest.slice(start, cut - start), others.slice(row, 1)]
        start = cut
    pieces.append(largest.slice(start))
    return pa.concat_tables(pieces)


class FileRejected(Exception):
    """The whole file cannot be used; the message says what is wrong and where."""
