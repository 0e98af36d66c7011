"""The shape every parser returns: records with a locator, their content and any damage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple, overload


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


class ParsedRecords:
    """The records of one file, held column by column.

    A large drop has hundreds of thousands of records; keeping five plain lists instead of an
    object per record is what lets parsing and landing keep up. `content` is kept as the UTF-8
    JSON bytes the serializer produced, so it is never decoded and re-encoded on the way to
    Parquet. Reading it back (`len`, indexing, iteration) gives `Record`s.
    """

    __slots__ = ("locators", "record_types", "contents", "errors", "originals")

    def __init__(self) -> None:
        self.locators: list[str] = []
        self.record_types: list[str | None] = []
        self.contents: list[bytes] = []
        self.errors: list[str | None] = []
        self.originals: list[str | None] = []

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

    def extend(self, other: ParsedRecords) -> None:
        for name in self.__slots__:
            getattr(self, name).extend(getattr(other, name))

    def __len__(self) -> int:
        return len(self.locators)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Record(
            self.locators[index],
            self.record_types[index],
            self.contents[index].decode("utf-8"),
            self.errors[index],
            self.originals[index],
        )

    def __iter__(self) -> Iterator[Record]:
        for index in range(len(self)):
            yield self[index]


class FileRejected(Exception):
    """The whole file cannot be used; the message says what is wrong and where."""
