"""JSON lines: one record per non-blank line; keys renamed to canonical fields like a table's
headers. A line that is not a JSON object is kept as a damaged record.

Lines may spell a field differently (`ts` in one line, `observed_at` in the next); a line that
spells one field twice is damaged. An object under a key that header synonyms reach into
(`observable.value`) is read by its dotted paths.

The flat lines (see `json_objects`) that hold the same keys as the first flat line are renamed
in bulk; every other line is read and renamed one by one. The records are the same either way,
in file order.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.landing.formats import json_text
from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.fields import base_field
from orchestration.landing.formats.json_objects import (
    flat_line_mask,
    objects,
    shape_mask,
    values_of,
)
from orchestration.landing.formats.plain_rows import text_lines
from orchestration.landing.formats.records import (
    MAX_RECORD_CHARS,
    FileRejected,
    ParsedRecords,
    in_file_order,
)
from orchestration.landing.formats.text import decode_text, split_lines

NOT_AN_OBJECT = "line is not a JSON object"


def _flattened(value: dict, prefixes: frozenset[str]) -> dict:
    """`value` with each object under a key in `prefixes` replaced by its leaves, keyed by
    their dotted paths (`{"observable": {"value": v}}` as `{"observable.value": v}`)."""
    if not any(isinstance(value.get(key), dict) for key in prefixes):
        return value

    def leaves(path: str, node: object) -> list[tuple[str, object]]:
        if isinstance(node, dict) and node:
            return [pair for key, child in node.items() for pair in leaves(f"{path}.{key}", child)]
        return [(path, node)]

    flat: dict = {}
    for key, child in value.items():
        if key in prefixes and isinstance(child, dict):
            flat.update(leaves(key, child))
        else:
            flat[key] = child
    return flat


def _renamed(value: dict, rename: dict[str, str | None]) -> tuple[dict, str | None]:
    """The line's object under canonical field names (unmapped keys under `extra`), and why
    it cannot be used when two of its keys give the same field."""
    content: dict[str, object] = {}
    extra: dict[str, object] = {}
    given: dict[str, str] = {}
    error = None
    for key, item in value.items():
        field_name = rename[key]
        if field_name is None:
            extra[key] = item
            continue
        field_base = base_field(field_name)
        if field_base in given and error is None:
            error = f"keys {given[field_base]!r} and {key!r} both give the field {field_base}"
        given.setdefault(field_base, key)
        content[field_name] = item
    if extra:
        content["extra"] = extra
    return content, error


def _read_line(text: str) -> tuple[object, str | None]:
    """The line's value and, when it cannot be used, why."""
    if len(text) > MAX_RECORD_CHARS:
        return None, f"line is {len(text)} characters, over the {MAX_RECORD_CHARS} limit"
    try:
        value = json_text.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON at column {exc.colno}: {exc.msg}"
    return value, None if isinstance(value, dict) else NOT_AN_OBJECT


class _Bulk:
    """The lines of a file as Arrow text, and those flat lines that hold the same keys as the
    first flat line: their line numbers, text and values."""

    def __init__(self, text: str) -> None:
        self.all_lines = text_lines(text)
        self.shape: tuple[str, ...] = ()
        self.numbers = np.empty(0, dtype=np.int64)
        flat = flat_line_mask(self.all_lines, MAX_RECORD_CHARS)
        if not flat.any():
            return
        flat_numbers = np.flatnonzero(flat) + 1
        shape = tuple(json_text.loads(self.all_lines[int(flat_numbers[0]) - 1].as_py()))
        # a key twice: readers differ on which value wins
        if not shape or len(set(shape)) != len(shape):
            return
        flat_lines = self.all_lines.filter(pa.array(flat))
        same = shape_mask(flat_lines, shape)
        self.shape, self.numbers = shape, flat_numbers[same]
        self.lines = flat_lines.filter(pa.array(same))
        self.values = values_of(self.lines, shape)

    def other_lines(self) -> list[tuple[int, str]]:
        """(line number, text) of every line not taken in bulk."""
        others = np.ones(len(self.all_lines), dtype=bool)
        others[self.numbers - 1] = False
        numbers = np.flatnonzero(others)
        texts = self.all_lines.take(pa.array(numbers)).to_pylist()
        return list(zip((numbers + 1).tolist(), texts, strict=True))

    def records(self, fields: tuple[str, ...], kind: str) -> pa.Table:
        count = len(self.numbers)
        numbers = pa.array(self.numbers)
        return pa.table(
            {
                "position": numbers,
                "record_locator": pc.binary_join_element_wise(
                    "line ", numbers.cast(pa.string()), ""
                ),
                "record_type": pa.array([kind] * count, pa.string()),
                "record": objects(self.values, fields),
                "original": self.lines,
                "parse_error": pa.nulls(count, pa.string()),
            }
        )


def parse_jsonl(data: bytes, context: ParseContext, *, in_bulk: bool = True) -> ParsedRecords:
    """Read JSON lines; with `in_bulk` (the default) flat lines are renamed in bulk when every
    byte of the file decodes."""
    decoded = decode_text(data)
    bulk = _Bulk(decoded.text) if in_bulk and not decoded.bad_lines else None
    first_seen: dict[tuple[str, ...], int] = {}
    if bulk is not None:
        lines = bulk.other_lines()
        if len(bulk.numbers):
            first_seen[bulk.shape] = int(bulk.numbers[0])
    else:
        lines = [
            (number, line[:-1] if line.endswith("\r") else line)
            for number, line in enumerate(split_lines(decoded.text), start=1)
        ]

    prefixes = context.vocabulary.nested_prefixes(context.partner_id)
    parsed: list[tuple[int, str, object, str | None]] = []
    for number, text in lines:
        if not text or (text[0].isspace() and not text.strip()):
            continue
        value, error = _read_line(text)
        if decoded.bad_lines and number in decoded.bad_lines and error in (None, NOT_AN_OBJECT):
            error = decoded.bad_lines[number]  # undecodable bytes outrank a well-formed line
        if error is None:
            value = _flattened(value, prefixes)
            shape = tuple(value)
            first_seen[shape] = min(first_seen.get(shape, number), number)
        parsed.append((number, text, value, error))

    if not first_seen:
        if parsed:
            raise FileRejected("no line of the file is a JSON object")
        return ParsedRecords()
    keys = list(
        dict.fromkeys(key for shape in sorted(first_seen, key=first_seen.get) for key in shape)
    )
    mapping = context.vocabulary.map_headers(keys, context.partner_id, one_column_per_field=False)
    rename = dict(zip(mapping.headers, mapping.fields, strict=True))
    kind = mapping.record_kind

    tables = []
    if bulk is not None and len(bulk.numbers):
        fields = tuple(rename[key] for key in bulk.shape)
        bases = [base_field(f) for f in fields]
        if all(fields) and len(set(bases)) == len(bases):
            tables.append(bulk.records(fields, kind))
        else:  # keys without a canonical field: renamed one by one, with their extras
            texts = bulk.lines.to_pylist()
            parsed += [
                (int(n), text, json_text.loads(text), None)
                for n, text in zip(bulk.numbers, texts, strict=True)
            ]
    parsed.sort(key=lambda line: line[0])
    one_by_one, numbers = ParsedRecords(), []
    for number, text, value, error in parsed:
        content: dict[str, object] = {}
        if error is None:
            content, error = _renamed(value, rename)
        one_by_one.add(f"line {number}", kind, json_text.dumps(content), error, text)
        numbers.append(int(number))
    if not tables:
        return one_by_one
    listed = one_by_one.to_arrow().append_column("position", pa.array(numbers, pa.int64()))
    columns = ["position", *listed.column_names[:-1]]
    merged = in_file_order([listed.select(columns), *(t.select(columns) for t in tables)])
    return ParsedRecords.from_arrow(merged)
