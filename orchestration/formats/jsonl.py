"""JSON lines: one record per non-blank line; keys renamed to canonical fields like a table's
headers. A line that is not a JSON object is kept as a damaged record."""

from __future__ import annotations

import json

from orchestration.formats import json_text
from orchestration.formats.context import ParseContext
from orchestration.formats.records import FileRejected, Record
from orchestration.formats.tabular import MAX_RECORD_CHARS, split_lines
from orchestration.formats.text import decode_text


def parse_jsonl(data: bytes, context: ParseContext) -> list[Record]:
    decoded = decode_text(data)
    parsed: list[tuple[int, str, object, str | None]] = []
    for number, line in enumerate(split_lines(decoded.text), start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        error = decoded.bad_lines.get(number)
        value: object = None
        if len(text) > MAX_RECORD_CHARS:
            error = f"line is {len(text)} characters, over the {MAX_RECORD_CHARS} limit"
        else:
            try:
                value = json_text.loads(text)
            except json.JSONDecodeError as exc:
                error = f"invalid JSON at column {exc.colno}: {exc.msg}"
            else:
                if not isinstance(value, dict):
                    error = error or "line is not a JSON object"
        parsed.append((number, text, value, error))

    keys: list[str] = []
    for _, _, value, error in parsed:
        if error is None and isinstance(value, dict):
            keys.extend(k for k in value if k not in keys)
    if not keys:
        if parsed:
            raise FileRejected("no line of the file is a JSON object")
        return []
    mapping = context.vocabulary.map_headers(keys, context.partner_id)
    rename = dict(zip(mapping.headers, mapping.fields, strict=True))

    records = []
    for number, text, value, error in parsed:
        content: dict[str, object] = {}
        if isinstance(value, dict) and error is None:
            extra = {k: v for k, v in value.items() if rename.get(k) is None}
            content = {rename[k]: v for k, v in value.items() if rename.get(k) is not None}
            if extra:
                content["extra"] = extra
        records.append(
            Record(
                locator=f"line {number}",
                record_type=mapping.record_kind,
                content=json_text.dumps(content),
                error=error,
                original=text,
            )
        )
    return records
