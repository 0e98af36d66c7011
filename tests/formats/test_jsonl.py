"""JSON lines as partners write them: nested observables, keys that vary by line, values that
are not scalars."""

import json

from orchestration.landing.formats.jsonl import parse_jsonl


def lines(*objects) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode()


def test_nested_observable_is_read_by_its_dotted_paths(context_for):
    data = lines(
        {"observable": {"type": "ipv4-addr", "value": "198.51.100.7"}, "ts": 1703699678000},
        {
            "observable": {"type": "domain-name", "value": "evil.example"},
            "observed_at": "2023-12-27T17:54:38Z",
        },
    )

    records = parse_jsonl(data, context_for("harbor-isp"))

    assert [r.record_type for r in records] == ["ioc", "ioc"]
    assert [json.loads(r.content) for r in records] == [
        {"type": "ipv4-addr", "value": "198.51.100.7", "first_seen": 1703699678000},
        {"type": "domain-name", "value": "evil.example", "first_seen": "2023-12-27T17:54:38Z"},
    ]
    assert all(r.error is None for r in records)


def test_one_line_that_gives_a_field_twice_is_damaged_alone(context_for):
    data = lines(
        {"value": "a.example", "ts": 1703699678000},
        {"value": "b.example", "ts": 1703699678000, "observed_at": "2023-12-27T17:54:38Z"},
    )

    records = parse_jsonl(data, context_for("harbor-isp"))

    assert records[0].error is None
    assert records[1].error == "keys 'ts' and 'observed_at' both give the field first_seen"


def test_an_object_where_a_value_belongs_is_kept_as_data(context_for):
    data = lines({"value": {"kind": "ip", "text": "198.51.100.7"}, "type": "ip"})

    (record,) = parse_jsonl(data, context_for("harbor-isp"))

    assert record.error is None
    assert json.loads(record.content)["value"] == {"kind": "ip", "text": "198.51.100.7"}


def test_json_lines_keep_good_lines_and_flag_broken_ones(context_for):
    data = (
        b'{"indicator": "198.51.100.23", "type": "ip", "count": 14, "sensor_country": "NL"}\n'
        b"\n"
        b'{"indicator": "invoice-portal.example.net", "type": "domain", "cou\n'
        b"[1, 2]\n"
        b'{"indicator": "203.0.113.9", "type": "ip", "count": 2, "sensor_country": "DE"}'
    )

    records = parse_jsonl(data, context_for("harbor-isp"))

    assert [(r.locator, r.record_type) for r in records] == [
        ("line 1", "sighting"),
        ("line 3", "sighting"),
        ("line 4", "sighting"),
        ("line 5", "sighting"),
    ]
    assert records[1].error.startswith("invalid JSON at column")
    assert records[2].error == "line is not a JSON object"
    assert json.loads(records[3].content)["count"] == 2
    assert records[1].original.startswith('{"indicator": "invoice-portal')
