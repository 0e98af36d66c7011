"""Law-enforcement disruption-operation reports: `{"operation": {...}}`, one record."""

from __future__ import annotations

from orchestration.landing.formats import json_text
from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.records import FileRejected, ParsedRecords
from orchestration.landing.formats.text import decode_json_document


def parse_operation_report(data: bytes, context: ParseContext) -> ParsedRecords:
    document = decode_json_document(data)
    operation = document.get("operation") if isinstance(document, dict) else None
    if not isinstance(operation, dict):
        raise FileRejected('not an operation report: expected {"operation": {...}}')
    records = ParsedRecords()
    error = None if operation.get("name") else "operation has no name"
    records.add("$.operation", "operation", json_text.dumps(operation), error)
    return records
