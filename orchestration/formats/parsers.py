"""Which parser reads which format."""

from __future__ import annotations

from collections.abc import Callable

from orchestration.formats.context import ParseContext
from orchestration.formats.jsonl import parse_jsonl
from orchestration.formats.misp import parse_misp
from orchestration.formats.operation import parse_operation_report
from orchestration.formats.records import ParsedRecords
from orchestration.formats.stix import parse_stix_bundle
from orchestration.formats.tabular import parse_csv, parse_xlsx

Parser = Callable[[bytes, ParseContext], ParsedRecords]

PARSERS: dict[str, Parser] = {
    "stix21": parse_stix_bundle,
    "misp": parse_misp,
    "operation_report": parse_operation_report,
    "jsonl": parse_jsonl,
    "csv": parse_csv,
    "xlsx": parse_xlsx,
}
