"""Tables (CSV and XLSX): one record per row, columns renamed to canonical fields through the
header-synonym seed. Comment lines (`#`) around a CSV are skipped; a row with the wrong number
of cells or undecodable bytes is kept as a damaged record."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time

import numpy as np
import pandas as pd
import pyarrow as pa

from orchestration.landing.formats import json_text
from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.fields import HeaderMapping
from orchestration.landing.formats.plain_rows import single_line_records, text_lines
from orchestration.landing.formats.records import (
    MAX_RECORD_CHARS,
    FileRejected,
    ParsedRecords,
    in_file_order,
)
from orchestration.landing.formats.text import decode_text, split_lines

DELIMITERS = (",", ";", "\t", "|")
CLAIMS_SHEET = "claims"

csv.field_size_limit(1 << 30)


def _row_content(mapping: HeaderMapping, cells: Sequence[object]) -> dict[str, object]:
    content: dict[str, object] = {}
    extra: dict[str, object] = {}
    for header, field_name, cell in zip(mapping.headers, mapping.fields, cells, strict=False):
        if field_name is None:
            extra[header] = cell
        else:
            content[field_name] = cell
    for position in range(len(mapping.headers), len(cells)):
        extra[f"column {position + 1}"] = cells[position]
    if extra:
        content["extra"] = extra
    return content


def _dump(content: object) -> bytes:
    return json_text.dumps(content)


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _is_blank_or_comment(line: str) -> bool:
    head = line.lstrip()
    return not head or head[0] == "#"


class _Cells:
    """Split one CSV record (one line, or several when quoted cells hold newlines) into cells.

    One reader serves every record of the file; it is fed a single record at a time, so it
    never reads past the record. A record the csv module cannot split raises `ValueError`.
    """

    def __init__(self, delimiter: str) -> None:
        self._delimiter = delimiter
        self._pending: str | None = None
        self._reader = self._new_reader()

    def _new_reader(self) -> Iterator[list[str]]:
        return csv.reader(iter(self._take, None), delimiter=self._delimiter, strict=False)

    def _take(self) -> str | None:
        chunk, self._pending = self._pending, None
        return chunk

    def _once(self, chunk: str) -> list[str]:
        return next(csv.reader([chunk], delimiter=self._delimiter, strict=False), [])

    def __call__(self, chunk: str) -> list[str]:
        try:
            if chunk.count('"') % 2:  # a quote still open at the end of the file
                return self._once(chunk)
            self._pending = chunk
            try:
                return next(self._reader)
            except StopIteration:  # the reader wanted more than the record: read it alone
                self._reader = self._new_reader()
                return self._once(chunk)
        except csv.Error as exc:
            self._reader = self._new_reader()
            raise ValueError(f"cannot split the row: {exc}") from exc


class _RowReader:
    """Reads one record of a delimited file at a time, the way a partner means it: a record
    is one line, or several when a quoted cell holds newlines; its locator is the line it
    starts on and its original is its text without the final line ending."""

    def __init__(
        self, lines: list[str], delimiter: str, mapping: HeaderMapping, bad_lines: dict[int, str]
    ) -> None:
        self.lines = lines
        self.delimiter = delimiter
        self.mapping = mapping
        self.bad_lines = bad_lines
        self.cells_of = _Cells(delimiter)
        self.all_mapped = not mapping.unmapped
        self.width = len(mapping.headers)
        self._well_quoted: re.Pattern[str] | None = None

    def _is_a_row(self, line: str) -> bool:
        """True when `line` reads as a whole record on its own: as many cells as the header,
        each unquoted or quoted from its start to its end."""
        if self._well_quoted is None:
            delimiter = re.escape(self.delimiter)
            cell = f'(?:"(?:[^"]|"")*"|[^"{delimiter}\\r\\n]*)'
            self._well_quoted = re.compile(f"{cell}(?:{delimiter}{cell})*\\r?")
        if not self._well_quoted.fullmatch(line):
            return False
        return len(next(csv.reader([line], delimiter=self.delimiter), [])) == self.width

    def read(self, index: int, records: ParsedRecords) -> int:
        """Add the record starting at line `index` (0-based) unless the line is blank or a
        comment; return the index of the line after it."""
        lines, kind = self.lines, self.mapping.record_kind
        line = lines[index]
        if (not line or line[0] == "#" or line[0].isspace()) and _is_blank_or_comment(line):
            return index + 1
        last = index
        if '"' in line:  # quoted cells may hold delimiters and newlines
            chunk = line
            while chunk.count('"') % 2 and last + 1 < len(lines):
                if self._is_a_row(lines[last + 1]):  # the quote was left open: it ends here
                    break
                last += 1
                chunk += "\n" + lines[last]
            original = chunk.rstrip("\r\n")
            if chunk.count('"') % 2:
                error = f"a quote opened on line {index + 1} is never closed"
                records.add(f"line {index + 1}", kind, b"{}", error, original)
                return last + 1
            try:
                cells = self.cells_of(original)
            except ValueError as exc:
                records.add(f"line {index + 1}", kind, b"{}", str(exc), original)
                return last + 1
        else:
            original = line[:-1] if line[-1] == "\r" else line
            cells = original.split(self.delimiter)
        error = None
        if self.bad_lines:
            error = next(
                (self.bad_lines[n] for n in range(index + 1, last + 2) if n in self.bad_lines),
                None,
            )
        if len(original) > MAX_RECORD_CHARS:
            error = f"record is {len(original)} characters, over the {MAX_RECORD_CHARS} limit"
        elif len(cells) != self.width:
            error = error or f"row has {len(cells)} cells, the header has {self.width}"
        elif self.all_mapped:
            content = json_text.dumps(dict(zip(self.mapping.fields, cells, strict=True)))
            records.add(f"line {index + 1}", kind, content, error, original)
            return last + 1
        content = json_text.dumps(_row_content(self.mapping, cells))
        records.add(f"line {index + 1}", kind, content, error, original)
        return last + 1


def _read_mostly_plain(reader: _RowReader, text: str, first: int) -> ParsedRecords:
    """Lines from `first` on: single-line rows all at once (see `plain_rows`), the others one by
    one with the reader, merged back into file order."""
    at_once, read = single_line_records(
        text_lines(text).slice(first),
        first + 1,
        reader.delimiter,
        tuple(str(field) for field in reader.mapping.fields),
        reader.mapping.record_kind,
        MAX_RECORD_CHARS,
    )
    taken = np.zeros(len(read), dtype=bool)  # lines a record read one by one ran over
    others, numbers = ParsedRecords(), []
    for offset in np.flatnonzero(~read).tolist():
        if taken[offset]:
            continue
        before = len(others)
        after = reader.read(first + offset, others)
        if len(others) > before:
            numbers.append(first + offset + 1)
        taken[offset : after - first] = True
    if taken.any():  # a quoted cell ran over lines that look like rows of their own
        at_once = [
            table.filter(pa.array(~taken[table.column("position").to_numpy() - first - 1]))
            for table in at_once
        ]
    one_by_one = others.to_arrow().append_column("position", pa.array(numbers, pa.int64()))
    return ParsedRecords.from_arrow(
        in_file_order([*at_once, one_by_one.select(at_once[0].column_names)])
    )


def parse_csv(
    data: bytes, context: ParseContext, *, plain_rows_at_once: bool = True
) -> ParsedRecords:
    """Read a delimited text table (delimiter sniffed from the header line).

    With `plain_rows_at_once` (the default), a file whose columns all map and whose bytes all
    decode has its plain lines turned into records with Arrow compute; the records are the
    same either way.
    """
    decoded = decode_text(data)
    lines = split_lines(decoded.text)
    start = next((i for i, line in enumerate(lines) if not _is_blank_or_comment(line)), None)
    if start is None:
        return ParsedRecords()
    delimiter = _sniff_delimiter(lines[start])
    try:
        header = _Cells(delimiter)(lines[start].rstrip("\r"))
    except ValueError as exc:
        raise FileRejected(f"line {start + 1}: header {exc}") from exc
    mapping = context.vocabulary.map_headers(header, context.partner_id)
    reader = _RowReader(lines, delimiter, mapping, decoded.bad_lines)
    if plain_rows_at_once and not mapping.unmapped and not decoded.bad_lines:
        return _read_mostly_plain(reader, decoded.text, start + 1)
    records = ParsedRecords()
    index = start + 1
    while index < len(lines):
        index = reader.read(index, records)
    return records


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _pick_sheet(sheets: dict[str, pd.DataFrame]) -> tuple[str, pd.DataFrame]:
    by_name = {name.strip().lower(): name for name in sheets}
    if CLAIMS_SHEET in by_name:
        name = by_name[CLAIMS_SHEET]
        return name, sheets[name]
    if len(sheets) == 1:
        return next(iter(sheets.items()))
    raise FileRejected(f"workbook has no {CLAIMS_SHEET!r} sheet; sheets are {list(sheets)}")


def parse_xlsx(data: bytes, context: ParseContext) -> ParsedRecords:
    """Read the `claims` sheet (or the only sheet) of a workbook; row numbers as in Excel."""
    records = ParsedRecords()
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise FileRejected(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}") from exc
    name, frame = _pick_sheet(sheets)
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    header_index = next((i for i, row in enumerate(rows) if any(c is not None for c in row)), None)
    if header_index is None:
        return records
    header = [str(c) if c is not None else "" for c in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    mapping = context.vocabulary.map_headers(header, context.partner_id)
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        if all(c is None for c in cells):
            continue
        trailing = cells[len(header) :]
        error = None
        if any(c is not None for c in trailing):
            error = f"row has values beyond the {len(header)} header columns"
        content = _row_content(
            mapping, cells[: len(header)] + [c for c in trailing if c is not None]
        )
        records.add(
            f"sheet {name} row {index + 1}",
            mapping.record_kind,
            _dump(content),
            error,
            _dump(cells).decode("utf-8"),
        )
    return records
