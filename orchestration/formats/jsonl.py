"""JSON lines: one record per non-blank line; keys renamed to canonical fields like a table's
headers. A line that is not a JSON object is kept as a damaged record."""

from __future__ import annotations

import json

from orchestration.formats import json_text
from orchestration.formats.context import ParseContext
from orchestration.formats.records import FileRejected, ParsedRecords
from orchestration.formats.tabular import MAX_RECORD_CHARS, split_lines
from orchestration.formats.text import decode_text

NOT_AN_OBJECT = "line is not a JSON object"


def _read_line(text: str) -> tuple[object, str | None]:
    """The line's value and, when it cannot be used, why."""
    if len(text) > MAX_RECORD_CHARS:
        return None, f"line is {len(text)} characters, over the {MAX_RECORD_CHARS} limit"
    try:
        value = json_text.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON at column {exc.colno}: {exc.msg}"
    return value, None if isinstance(value, dict) else NOT_AN_OBJECT


def parse_jsonl(data: bytes, context: ParseContext) -> ParsedRecords:
    decoded = decode_text(data)
    bad_lines = decoded.bad_lines
    parsed: list[tuple[int, str, object, str | None]] = []
    keys: dict[str, None] = {}  # every key of every object line, in first-seen order
    seen_shapes: set[tuple[str, ...]] = set()
    for number, line in enumerate(split_lines(decoded.text), start=1):
        text = line[:-1] if line.endswith("\r") else line
        if not text or (text[0].isspace() and not text.strip()):
            continue
        value, error = _read_line(text)
        if bad_lines and number in bad_lines and error in (None, NOT_AN_OBJECT):
            error = bad_lines[number]  # undecodable bytes outrank a well-formed non-object
        if error is None:
            shape = tuple(value)
            if shape not in seen_shapes:
                seen_shapes.add(shape)
                keys.update(dict.fromkeys(shape))
        parsed.append((number, text, value, error))

    records = ParsedRecords()
    if not keys:
        if parsed:
            raise FileRejected("no line of the file is a JSON object")
        return records
    mapping = context.vocabulary.map_headers(list(keys), context.partner_id)
    rename = dict(zip(mapping.headers, mapping.fields, strict=True))
    kind, add, dumps = mapping.record_kind, records.add, json_text.dumps
    # per shape (keys in order): the canonical names when every key has one, else None
    plans = {
        shape: tuple(rename[k] for k in shape) if all(rename[k] for k in shape) else None
        for shape in seen_shapes
    }
    for number, text, value, error in parsed:
        if error is not None:
            add(f"line {number}", kind, b"{}", error, text)
            continue
        fields = plans[tuple(value)]
        if fields is not None:
            content = dict(zip(fields, value.values(), strict=True))
        else:
            content = {rename[k]: v for k, v in value.items() if rename[k] is not None}
            extra = {k: v for k, v in value.items() if rename[k] is None}
            if extra:
                content["extra"] = extra
        add(f"line {number}", kind, dumps(content), None, text)
    return records
