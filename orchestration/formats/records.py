"""The shape every parser returns: records with a locator, their content and any damage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
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


class FileRejected(Exception):
    """The whole file cannot be used; the message says what is wrong and where."""
