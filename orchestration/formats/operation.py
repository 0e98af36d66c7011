"""Law-enforcement disruption-operation reports: `{"operation": {...}}`, one record."""

from __future__ import annotations

from orchestration.formats import json_text
from orchestration.formats.context import ParseContext
from orchestration.formats.records import FileRejected, Record
from orchestration.formats.text import decode_json_document


def parse_operation_report(data: bytes, context: ParseContext) -> list[Record]:
    document = decode_json_document(data)
    operation = document.get("operation") if isinstance(document, dict) else None
    if not isinstance(operation, dict):
        raise FileRejected('not an operation report: expected {"operation": {...}}')
    error = None if operation.get("name") else "operation has no name"
    content = json_text.dumps(operation)
    return [Record("$.operation", "operation", content, error)]
