"""Tables (CSV and XLSX): one record per row, columns renamed to canonical fields through the
header-synonym seed. Comment lines (`#`) around a CSV are skipped; a row with the wrong number
of cells or undecodable bytes is kept as a damaged record."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time

import pandas as pd

from orchestration.formats.context import ParseContext
from orchestration.formats.fields import HeaderMapping
from orchestration.formats.records import FileRejected, Record
from orchestration.formats.text import decode_text

MAX_RECORD_CHARS = 1 << 20
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


def _dump(content: object) -> str:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on newlines only (not on other Unicode breaks)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def parse_csv(data: bytes, context: ParseContext) -> list[Record]:
    """Read a delimited text table (delimiter sniffed from the header line)."""
    decoded = decode_text(data)
    lines = split_lines(decoded.text)
    start = next(
        (i for i, line in enumerate(lines) if line.strip() and not _is_comment(line)), None
    )
    if start is None:
        return []
    delimiter = _sniff_delimiter(lines[start])
    header = next(csv.reader([lines[start]], delimiter=delimiter))
    mapping = context.vocabulary.map_headers(header, context.partner_id)

    consumed: list[tuple[int, str]] = []

    def feed() -> Iterator[str]:
        for number in range(start + 2, len(lines) + 1):
            line = lines[number - 1]
            if not consumed and (not line.strip() or _is_comment(line)):
                continue
            consumed.append((number, line))
            yield line

    records = []
    reader = csv.reader(feed(), delimiter=delimiter, strict=False)
    for cells in reader:
        first_line = consumed[0][0]
        original = "".join(line for _, line in consumed).rstrip("\r\n")
        line_numbers = [number for number, _ in consumed]
        consumed.clear()
        error = next((decoded.bad_lines[n] for n in line_numbers if n in decoded.bad_lines), None)
        if len(original) > MAX_RECORD_CHARS:
            error = f"record is {len(original)} characters, over the {MAX_RECORD_CHARS} limit"
        elif error is None and len(cells) != len(header):
            error = f"row has {len(cells)} cells, the header has {len(header)}"
        records.append(
            Record(
                locator=f"line {first_line}",
                record_type=mapping.record_kind,
                content=_dump(_row_content(mapping, cells)),
                error=error,
                original=original,
            )
        )
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


def parse_xlsx(data: bytes, context: ParseContext) -> list[Record]:
    """Read the `claims` sheet (or the only sheet) of a workbook; row numbers as in Excel."""
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise FileRejected(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}") from exc
    name, frame = _pick_sheet(sheets)
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    header_index = next((i for i, row in enumerate(rows) if any(c is not None for c in row)), None)
    if header_index is None:
        return []
    header = [str(c) if c is not None else "" for c in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    mapping = context.vocabulary.map_headers(header, context.partner_id)
    records = []
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        if all(c is None for c in cells):
            continue
        trailing = cells[len(header) :]
        error = None
        if any(c is not None for c in trailing):
            error = f"row has values beyond the {len(header)} header columns"
        records.append(
            Record(
                locator=f"sheet {name} row {index + 1}",
                record_type=mapping.record_kind,
                content=_dump(
                    _row_content(
                        mapping, cells[: len(header)] + [c for c in trailing if c is not None]
                    )
                ),
                error=error,
                original=_dump(cells),
            )
        )
    return records
