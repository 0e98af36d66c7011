"""Which parser reads which format."""

from __future__ import annotations

from collections.abc import Callable

from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.jsonl import parse_jsonl
from orchestration.landing.formats.misp import parse_misp
from orchestration.landing.formats.operation import parse_operation_report
from orchestration.landing.formats.records import ParsedRecords
from orchestration.landing.formats.stix import parse_stix_bundle
from orchestration.landing.formats.tabular import parse_csv, parse_xlsx

Parser = Callable[[bytes, ParseContext], ParsedRecords]

PARSERS: dict[str, Parser] = {
    "stix21": parse_stix_bundle,
    "misp": parse_misp,
    "operation_report": parse_operation_report,
    "jsonl": parse_jsonl,
    "csv": parse_csv,
    "xlsx": parse_xlsx,
}
