"""Disruption-operation reports (one JSON document per operation) as law enforcement writes
them."""

import json

import pytest

from orchestration.landing.formats.operation import parse_operation_report
from orchestration.landing.formats.records import FileRejected


def test_operation_report_is_one_record(context_for):
    report = {
        "operation": {
            "name": "Operation Night Harbour",
            "announced_on": "2026-11-03",
            "target_actors": ["LockBit"],
            "participating_partners": ["nordic-cert", "aegis-labs"],
            "tlp": "clear",
            "metrics": {"servers_seized": 34, "arrests": 2, "funds_frozen_usd": 1.5e6},
        }
    }

    (record,) = parse_operation_report(json.dumps(report).encode(), context_for("lea-taskforce"))

    assert record.locator == "$.operation" and record.record_type == "operation"
    assert json.loads(record.content) == report["operation"]


def test_operation_report_without_operation_is_rejected(context_for):
    with pytest.raises(FileRejected, match="not an operation report"):
        parse_operation_report(b'{"operations": []}', context_for("lea-taskforce"))
