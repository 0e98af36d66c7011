"""Decode delivered text without guessing wrong silently: BOMs, UTF-16, UTF-8, and
Windows-1252 for the partners whose tools still write it. A line that none of these can read
is kept (decoded as Latin-1) and flagged, never dropped."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import orjson

from orchestration.landing.formats import json_text
from orchestration.landing.formats.records import FileRejected

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when text was written as UTF-16 without a byte-order mark
    (every other byte of mostly-ASCII text is NUL, on one side only); else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or len(data) < 4:
        return None
    head = data[:4096]
    head = head[: len(head) - len(head) % 2]
    even, odd = head[0::2], head[1::2]
    pairs = len(odd)
    if odd.count(0) >= 0.9 * pairs and even.count(0) <= 0.1 * pairs:
        return "utf-16-le"
    if even.count(0) >= 0.9 * pairs and odd.count(0) <= 0.1 * pairs:
        return "utf-16-be"
    return None


def as_utf8(data: bytes) -> bytes:
    """UTF-16 without a byte-order mark, re-encoded as UTF-8 so that every reader takes it;
    any other content unchanged."""
    encoding = utf16_without_bom(data)
    if encoding is None:
        return data
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError:
        return data  # not text after all: detection calls it binary


@dataclass
class DecodedText:
    text: str
    encoding: str
    bad_lines: dict[int, str] = field(default_factory=dict)  # 1-based line -> problem


def decode_text(data: bytes) -> DecodedText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise FileRejected(f"not valid {encoding}: byte {exc.start} is damaged") from exc
    if b"\x00" in data[:4096]:
        raise FileRejected("binary content (NUL bytes) where text was expected")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return DecodedText(data.decode("cp1252"), "windows-1252")
    except UnicodeDecodeError:
        pass
    lines, bad_lines = [], {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        for encoding in ("utf-8", "cp1252"):
            try:
                lines.append(raw.decode(encoding))
                break
            except UnicodeDecodeError as exc:
                column = exc.start + 1
        else:
            lines.append(raw.decode("latin-1"))
            bad_lines[number] = (
                f"byte at column {column} is neither UTF-8 nor Windows-1252 (read as Latin-1)"
            )
    return DecodedText("\n".join(lines), "mixed", bad_lines)


def decode_json_document(data: bytes) -> object:
    """Parse a whole JSON document, rejecting the file with the position of any damage."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:  # UTF-8 straight from the bytes: no decoded copy of a large document
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass  # read again below, for the standard library's message and position
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRejected(f"not {encoding} text: byte {exc.start} cannot be decoded") from exc
    try:
        return json_text.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc


def split_lines(text: str) -> list[str]:
    """Lines without their `\n`, split on newlines only (not on other Unicode breaks); a final
    newline does not make an extra line."""
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines
