"""Tell a file's format from its content, not from its name."""

from __future__ import annotations

import re

SNIFF_BYTES = 64 * 1024

_STIX_BUNDLE = re.compile(rb'"type"\s*:\s*"bundle"')
_MISP_EVENT = re.compile(rb'"Event"\s*:|"Attribute"\s*:|"Object"\s*:|"response"\s*:')
# one STIX object delivered on its own: `"id": "<type>--<uuid>"` and a `spec_version`
_STIX_OBJECT = re.compile(rb'"id"\s*:\s*"[a-z0-9-]+--[0-9a-fA-F-]{36}"')
_STIX_SPEC = re.compile(rb'"spec_version"\s*:\s*"2\.1"')
_OPERATION = re.compile(rb'"operation"\s*:')
_MISP_IN_ARRAY = re.compile(rb'\[\s*\{\s*"Event"\s*:')
_XLSX_MAGIC = b"PK\x03\x04"


def _text_head(data: bytes) -> bytes:
    head = data[:SNIFF_BYTES]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        head = head[2:].decode(encoding, errors="ignore").encode("utf-8")
    return head.lstrip()


def _is_json_lines(data: bytes) -> bool:
    """True when the first line is a whole JSON object and more follows it, however long
    that line is."""
    start = len(data) - len(data.lstrip())
    end = data.find(b"\n", start)
    if end == -1:
        return False
    return data[start:end].rstrip().endswith(b"}") and not data[end:].isspace()


def detect_format(data: bytes) -> str:
    """Return the format name of a delivered file: `stix21`, `misp`, `operation_report`,
    `jsonl`, `xlsx`, `csv`, `empty` or `unknown`."""
    if not data or data.isspace():  # isspace stops at the first other byte; strip would copy
        return "empty"
    if data.startswith(_XLSX_MAGIC):
        return "xlsx"
    head = _text_head(data)
    if b"\x00" in head[:1024]:
        return "unknown"
    if head.startswith(b"{"):
        is_multi_line = _is_json_lines(data)
        if _STIX_BUNDLE.search(head[:4096]):
            return "stix21"
        if (
            not is_multi_line
            and _STIX_SPEC.search(head[:4096])
            and _STIX_OBJECT.search(head[:4096])
        ):
            return "stix21"
        if _OPERATION.search(head[:4096]):
            return "operation_report"
        if is_multi_line:
            return "jsonl"
        if _MISP_EVENT.search(head):
            return "misp"
        # one JSON object that is none of the document formats: a JSON-lines file of one
        # record (whose kind its keys tell, or which lands in quarantine naming its line)
        return "jsonl"
    if head.startswith(b"["):
        # MISP's REST API also answers with a bare JSON array of {"Event": ...}
        return "misp" if _MISP_IN_ARRAY.match(head) else "unknown"
    return "csv"


def describe_unknown(data: bytes) -> str:
    """What an unrecognised file looks like, without quoting its content: its size, its first
    bytes in hex and the text encoding they suggest."""
    head = data[:4]  # a magic number, not a word of the content
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "UTF-8 with BOM"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "UTF-16 with BOM"
    elif b"\x00" in data[:1024]:
        encoding = "binary (NUL bytes)"
    else:
        try:
            data[:4096].decode("utf-8")
            encoding = "UTF-8 text"
        except UnicodeDecodeError as exc:
            encoding = "UTF-8 text" if exc.start > 4090 else "not UTF-8"
    return f"{len(data)} bytes starting {head.hex(' ')} ({encoding})"
