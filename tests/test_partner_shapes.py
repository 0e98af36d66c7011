"""Shapes partners send that the sample drops do not show, delivered in one real night: messy
CSVs, nested JSON lines, withdrawn MISP and STIX records, invalid patterns, and a file of
which nothing is usable. No record is lost, nothing is invented, the night publishes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import isolated_warehouse

DAY = "2026-11-02"
STANDARD = datetime(2023, 12, 27, 17, 54, 38, tzinfo=UTC)

# harbor-isp: Europe/Amsterdam, day before month, confidences 0-100
MESSY_IOCS = [
    ["indicator", "type", "first_seen", "confidence"],
    ["198.51.100.10", "ipv4-addr", "27.12.2023 18:54:38", "50%"],
    ["billing@evil.example", "email-addr", "Wed, 27 Dec 2023 17:54:38 +0000", "high"],
    ["2001:DB8::10", "IPv6-Addr", "27/12/2023 18:54:38", "B2"],
    ["d41d8cd98f00b204e9800998ecf8427e", "Hash-MD5", "12/27/2023 17:54", "85"],
    ["fqdn-evil.example", "FQDN", "1703699678000", ""],
    ["meow@example.org", "email", "2023-12-27T17:54:38Z", ""],
    ["hxxp://evil[.]example/x", "URL", "2023-12-27 18:54:38", ""],
    ["meowcorp.example", "", "2023-12-27", ""],
]
NESTED = [
    {"observable": {"type": "ipv4-addr", "value": "203.0.113.20"}, "ts": 1703699678000},
    {
        "observable": {"type": "domain-name", "value": "nested.example"},
        "observed_at": "2023-12-27T17:54:38Z",
    },
]
SIGHTINGS = [
    {"indicator": "203.0.113.20", "type": "ipv4-addr", "count": 3, "first_seen": "2023-12-27"},
    {"indicator": "nested.example", "type": "domain-name", "count": "x", "first_seen": "soon"},
]
ACTORS = [
    ["value", "actor"],
    ["198.51.100.50", "Andariel"],  # an alias two galaxy actors share
    ["198.51.100.51", "Nobody Knows Group"],
    ["198.51.100.52", "LockBit 3.0"],
]
UNUSABLE = [
    {"ioc": {"kind": "ip", "text": "203.0.113.30"}, "type": "ip"},
    {"ioc": "HKLM\\Software\\Evil", "type": "registry-key"},
    {"ioc": ["203.0.113.31", "203.0.113.32"], "type": "ip"},
]
MISP_EVENT = {
    "Event": {
        "info": "withdrawn and context attributes",
        "date": "2026-11-01",
        "Tag": [{"name": "tlp:green"}],
        "Attribute": [
            {"type": "domain", "value": "live.example"},
            {"type": "domain", "value": "deleted.example", "deleted": True},
            {"type": "text", "value": "Seen in a phishing wave"},
            {"type": "link", "value": "https://blog.example/report"},
            {"type": "comment", "value": "analyst note"},
        ],
        "Object": [
            {
                "name": "domain-ip",
                "deleted": True,
                "Attribute": [{"type": "domain", "value": "in-deleted-object.example"}],
            }
        ],
    }
}


def _indicator(n: int, pattern: str, **extra) -> dict:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--00000000-0000-4000-8000-{n:012d}",
        "created": "2026-11-01T00:00:00Z",
        "modified": "2026-11-01T00:00:00Z",
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": "2026-11-01T00:00:00Z",
        **extra,
    }


STIX_BUNDLE = {
    "type": "bundle",
    "id": "bundle--00000000-0000-4000-8000-000000000000",
    "objects": [
        _indicator(1, "[domain-name:value = 'live-stix.example']"),
        _indicator(2, "[domain-name:value = 'revoked.example']", revoked=True),
        _indicator(3, "[IPV4-ADDR:VALUE = '203.0.113.99']"),
        _indicator(4, "[ipv4-addr:value = '203.0.113.98'] WITHIN 5 HOURS"),
        _indicator(5, "[ipv4-addr:value = '203.0.113.97'"),
        {
            "type": "intrusion-set",
            "spec_version": "2.1",
            "id": "intrusion-set--00000000-0000-4000-8000-000000000006",
            "created": "2026-11-01T00:00:00Z",
            "modified": "2026-11-01T00:00:00Z",
            "name": "Guardians of Nothing",
        },
    ],
}


RED_2_0 = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
MARKED_BUNDLE = {  # from a partner whose unmarked data is TLP:CLEAR
    "type": "bundle",
    "id": "bundle--00000000-0000-4000-8000-000000000100",
    "objects": [
        _indicator(
            101, "[domain-name:value = 'upper-red.example']", object_marking_refs=[RED_2_0.upper()]
        ),
        _indicator(
            102,
            "[domain-name:value = 'granular-red.example']",
            granular_markings=[
                {"marking_ref": "marking-definition--statement-red", "selectors": ["pattern"]}
            ],
        ),
        _indicator(
            103,
            "[domain-name:value = 'unknown-marking.example']",
            object_marking_refs=["marking-definition--00000000-0000-4000-8000-00000000dead"],
        ),
        _indicator(
            104,
            "[domain-name:value = 'copyright-only.example']",
            object_marking_refs=["marking-definition--copyright"],
        ),
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": "marking-definition--statement-red",
            "created": "2026-11-01T00:00:00Z",
            "definition_type": "statement",
            "definition": {"statement": "TLP: RED"},
        },
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": "marking-definition--copyright",
            "created": "2026-11-01T00:00:00Z",
            "definition_type": "statement",
            "definition": {"statement": "Copyright 2026 Darkwatch"},
        },
    ],
}
RED_EVENT_WITHOUT_UUID = {
    "Event": {
        "info": "no uuid",
        "Tag": [{"name": "tlp:red"}],
        "Attribute": [{"type": "domain", "value": "red-event-no-uuid.example"}],
    }
}


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def _lines(objects: list[dict]) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode()


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("shapes"))
    warehouse.drop("harbor-isp", DAY, "messy-iocs.csv", _csv(MESSY_IOCS))
    warehouse.drop("harbor-isp", DAY, "nested.jsonl", _lines(NESTED))
    warehouse.drop("harbor-isp", DAY, "actors.csv", _csv(ACTORS))
    warehouse.drop("harbor-isp", DAY, "sightings.jsonl", _lines(SIGHTINGS))
    warehouse.drop("harbor-isp", DAY, "unusable.jsonl", _lines(UNUSABLE))
    warehouse.drop("nordic-cert", DAY, "event.json", json.dumps(MISP_EVENT).encode())
    warehouse.drop("aegis-labs", DAY, "bundle.json", json.dumps(STIX_BUNDLE).encode())
    warehouse.drop("darkwatch-intel", DAY, "marked.json", json.dumps(MARKED_BUNDLE).encode())
    warehouse.drop("nordic-cert", DAY, "red.json", json.dumps(RED_EVENT_WITHOUT_UUID).encode())
    result = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    yield warehouse, result


def query(path, sql: str, *parameters) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def files(warehouse) -> dict[str, tuple]:
    rows = query(
        warehouse.db_path,
        "select file_name, records_received, records_accepted, records_context, "
        "records_withdrawn, records_quarantined from marts.mart_drop_files",
    )
    return {name.rsplit("/", 1)[-1]: tuple(counts) for name, *counts in rows}


def indicators(warehouse) -> dict[str, tuple]:
    rows = query(
        warehouse.db_path,
        "select value, indicator_type, first_seen_at, max_confidence from marts.mart_indicators",
    )
    return {value: tuple(rest) for value, *rest in rows}


def test_the_night_publishes(night):
    _, result = night
    assert result.success, [e.message for e in result.all_events if e.is_failure]


def test_a_messy_csv_loses_no_row(night):
    warehouse, _ = night
    found = indicators(warehouse)

    assert files(warehouse)["messy-iocs.csv"] == (8, 8, 0, 0, 0)
    assert found["198.51.100.10"] == ("ipv4-addr", STANDARD, 50)
    assert found["billing@evil.example"] == ("email-addr", STANDARD, 85)
    assert found["2001:db8::10"] == ("ipv6-addr", STANDARD, 70)  # admiralty B2
    # 12/27/2023 is no date for a partner who writes the day first: the time alone is lost
    assert found["d41d8cd98f00b204e9800998ecf8427e"] == ("file:md5", None, 85)
    assert found["fqdn-evil.example"][:2] == ("domain-name", STANDARD)
    assert found["meow@example.org"][:2] == ("email-addr", STANDARD)
    assert found["http://evil.example/x"][:2] == ("url", STANDARD)
    assert found["meowcorp.example"][0] == "domain-name"
    assert not [value for value in found if "@example.org" in value and value != "meow@example.org"]
    field_rows = query(
        warehouse.build_db_path,
        "select field_name, reason_code, raw_value from intermediate.quarantine "
        "where file_sha256 in (select file_sha256 from raw.drop_files "
        "where file_name like '%messy-iocs.csv')",
    )
    assert field_rows == [("time", "invalid_time", "12/27/2023 17:54")]


def test_nested_json_lines_are_indicators_with_their_times(night):
    warehouse, _ = night
    found = indicators(warehouse)

    assert files(warehouse)["nested.jsonl"] == (2, 2, 0, 0, 0)
    assert found["203.0.113.20"][:2] == ("ipv4-addr", STANDARD)
    assert found["nested.example"][:2] == ("domain-name", STANDARD)


def test_sightings_typed_with_stix_names_keep_their_record(night):
    warehouse, _ = night

    assert files(warehouse)["sightings.jsonl"] == (2, 2, 0, 0, 0)
    problems = query(
        warehouse.build_db_path,
        "select field_name, reason_code from intermediate.quarantine "
        "where source_format = 'sighting' order by all",
    )
    assert problems == [("count", "invalid_count"), ("first_seen", "invalid_time")]


def test_withdrawn_and_context_records_are_kept_never_published(night):
    warehouse, _ = night
    found = indicators(warehouse)

    # event, 5 attributes, 1 object with 1 attribute
    assert files(warehouse)["event.json"] == (8, 1, 4, 3, 0)
    assert "live.example" in found
    assert not {"deleted.example", "in-deleted-object.example", "revoked.example"} & set(found)
    assert files(warehouse)["bundle.json"] == (6, 2, 0, 1, 3)


def test_stix_patterns_are_read_by_their_grammar(night):
    warehouse, _ = night

    reasons = query(
        warehouse.build_db_path,
        "select record_locator, reason_code from intermediate.quarantine "
        "where file_sha256 in (select file_sha256 from raw.drop_files "
        "where file_name like '%/bundle.json') order by record_locator",
    )

    assert reasons == [
        ("$.objects[2]", "unknown_type"),  # IPV4-ADDR: type names are case-sensitive
        ("$.objects[3]", "invalid_pattern"),  # WITHIN 5 HOURS
        ("$.objects[4]", "invalid_pattern"),  # unclosed bracket
    ]
    assert not {"203.0.113.97", "203.0.113.98", "203.0.113.99"} & set(indicators(warehouse))


def test_a_file_of_which_nothing_is_usable_still_lets_the_night_publish(night):
    warehouse, _ = night

    assert files(warehouse)["unusable.jsonl"] == (3, 0, 0, 0, 3)
    report = (warehouse.db_path.parent / "reports" / "harbor-isp.md").read_text()
    assert "value_not_scalar" in report and "unknown_type" in report


def test_actor_names_the_seed_does_not_resolve_are_actors_listed_for_curation(night):
    warehouse, _ = night

    listed = query(
        warehouse.db_path,
        "select actor_key, actor_name, resolution, candidate_actor_names, source_formats, "
        "partner_ids from marts.mart_unresolved_actors order by actor_key",
    )
    actors = dict(
        query(warehouse.db_path, "select actor_key, is_unresolved from marts.mart_actors")
    )

    assert files(warehouse)["actors.csv"] == (3, 3, 0, 0, 0)
    assert listed == [
        (
            "unresolved-andariel",
            "Andariel",
            "ambiguous",
            "Lazarus Group; Silent Chollima",
            ["ioc_list"],
            ["harbor-isp"],
        ),
        (
            "unresolved-guardiansofnothing",
            "Guardians of Nothing",
            "unknown",
            None,
            ["stix21"],
            ["aegis-labs"],
        ),
        (
            "unresolved-nobodyknowsgroup",
            "Nobody Knows Group",
            "unknown",
            None,
            ["ioc_list"],
            ["harbor-isp"],
        ),
    ]
    assert actors["lockbit"] is False
    assert all(actors[key] is True for key, *_ in listed)


def test_markings_that_cannot_be_read_fail_closed(night):
    warehouse, _ = night
    red = {
        "upper-red.example",
        "granular-red.example",
        "unknown-marking.example",
        "red-event-no-uuid.example",
    }

    in_marts = set(indicators(warehouse))
    public = {v for (v,) in query(warehouse.db_path, "select value from public.public_indicators")}
    kept = dict(
        query(
            warehouse.build_db_path,
            "select value, tlp from intermediate.int_indicators_normalized "
            "where value in ('upper-red.example', 'granular-red.example', "
            "'unknown-marking.example', 'red-event-no-uuid.example', 'copyright-only.example')",
        )
    )

    assert not red & (in_marts | public)
    assert kept == {**dict.fromkeys(red, "red"), "copyright-only.example": "clear"}
    listed = query(
        warehouse.build_db_path,
        "select raw_value from intermediate.quarantine where reason_code = 'unknown_marking' "
        "and source_format = 'stix21'",
    )
    assert listed == [("marking-definition--00000000-0000-4000-8000-00000000dead",)]
