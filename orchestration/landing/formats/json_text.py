"""Fast JSON in and out (orjson), falling back to the standard library for what orjson refuses
(NaN, integers beyond 64 bits) so that every file the standard library reads is still read,
with the standard library's error messages."""

from __future__ import annotations

import json

import orjson


def dumps(value: object) -> bytes:
    """Compact JSON as UTF-8 bytes, non-ASCII kept as is."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(text: str | bytes) -> object:
    """Parse JSON text; raises json.JSONDecodeError with line and column on damage."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
