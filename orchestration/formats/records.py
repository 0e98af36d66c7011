"""The shape every parser returns: records with a locator, verbatim content and any damage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
    """One delivered record, before any interpretation.

    `locator` says where it was in the file (a JSON path or a line number), `content` is the
    record itself as JSON text, and `error` is set when the record is damaged: it is kept so
    that normalization can quarantine it with its reason instead of losing it.
    """

    locator: str
    record_type: str | None
    content: str
    error: str | None = None


class FileRejected(Exception):
    """The whole file cannot be used; the message says what is wrong and where."""
