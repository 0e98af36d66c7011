"""Tables (CSV and XLSX): one record per row, columns renamed to canonical fields through the
header-synonym seed. Comment lines (`#`) around a CSV are skipped; a row with the wrong number
of cells or undecodable bytes is kept as a damaged record."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import date, datetime, time

import pandas as pd

from orchestration.formats import json_text
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
    return json_text.dumps(content)


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
    all_mapped = not mapping.unmapped
    width = len(header)

    records = []
    index, count = start + 1, len(lines)
    while index < count:
        line = lines[index]
        if not line.strip() or _is_comment(line):
            index += 1
            continue
        last = index
        if '"' in line:  # quoted fields may hold delimiters and span lines
            chunk = line
            while chunk.count('"') % 2 and last + 1 < count:
                last += 1
                chunk += lines[last]
            cells = next(csv.reader([chunk], delimiter=delimiter, strict=False), [])
        else:
            chunk = line
            cells = line.rstrip("\r\n").split(delimiter)
        original = chunk.rstrip("\r\n")
        error = None
        if decoded.bad_lines:
            error = next(
                (
                    decoded.bad_lines[n]
                    for n in range(index + 1, last + 2)
                    if n in decoded.bad_lines
                ),
                None,
            )
        if len(original) > MAX_RECORD_CHARS:
            error = f"record is {len(original)} characters, over the {MAX_RECORD_CHARS} limit"
        elif error is None and len(cells) != width:
            error = f"row has {len(cells)} cells, the header has {width}"
        if all_mapped and len(cells) == width:
            content = dict(zip(mapping.fields, cells, strict=True))
        else:
            content = _row_content(mapping, cells)
        records.append(
            Record(
                locator=f"line {index + 1}",
                record_type=mapping.record_kind,
                content=_dump(content),
                error=error,
                original=original,
            )
        )
        index = last + 1
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
