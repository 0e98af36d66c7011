import json
from collections import Counter

import pytest

from orchestration.landing.formats.detect import detect_format
from orchestration.landing.formats.records import FileRejected
from orchestration.landing.formats.stix import parse_stix_bundle
from tests.conftest import REAL_DATA

POISONIVY = (REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes()


def test_real_bundle_yields_every_object_with_its_json_path():
    records = parse_stix_bundle(POISONIVY)
    bundle = json.loads(POISONIVY)

    assert len(records) == len(bundle["objects"]) == 155
    assert [r.locator for r in records[:2]] == ["$.objects[0]", "$.objects[1]"]
    assert Counter(r.record_type for r in records) == Counter(o["type"] for o in bundle["objects"])
    assert all(r.error is None for r in records)


def test_record_content_is_the_original_object():
    records = parse_stix_bundle(POISONIVY)
    bundle = json.loads(POISONIVY)

    for record, obj in zip(records, bundle["objects"], strict=True):
        assert json.loads(record.content) == obj


def test_relationships_keep_their_refs():
    records = parse_stix_bundle(POISONIVY)
    relationships = [json.loads(r.content) for r in records if r.record_type == "relationship"]

    assert len(relationships) == 90
    assert all(rel["source_ref"] and rel["target_ref"] for rel in relationships)


def test_truncated_bundle_is_rejected_with_position():
    with pytest.raises(FileRejected, match=r"invalid JSON at line \d+ column \d+"):
        parse_stix_bundle(POISONIVY[: len(POISONIVY) // 2])


def test_json_that_is_not_a_bundle_is_rejected():
    with pytest.raises(FileRejected, match="not a STIX bundle"):
        parse_stix_bundle(b'{"type": "indicator", "id": "indicator--1"}')


def test_one_stix_object_delivered_alone_is_one_record():
    campaign = {
        "type": "campaign",
        "spec_version": "2.1",
        "id": "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
        "name": "Spear Phishing",
    }
    data = json.dumps(campaign, indent=2).encode()

    records = parse_stix_bundle(data)

    assert detect_format(data) == "stix21"
    assert [(r.locator, r.record_type, r.error) for r in records] == [("$", "campaign", None)]
    assert json.loads(records[0].content) == campaign


def test_damaged_object_is_kept_with_its_reason():
    data = json.dumps(
        {"type": "bundle", "id": "bundle--1", "objects": [{"type": "malware"}, "junk", {"a": 1}]}
    ).encode()

    records = parse_stix_bundle(data)

    assert [(r.locator, r.record_type, r.error) for r in records] == [
        ("$.objects[0]", "malware", None),
        ("$.objects[1]", None, "STIX object is not a JSON object"),
        ("$.objects[2]", None, "STIX object has no type"),
    ]
    assert json.loads(records[1].content) == "junk"


def test_bundle_with_byte_order_mark_parses():
    records = parse_stix_bundle(b"\xef\xbb\xbf" + POISONIVY)

    assert len(records) == 155


def test_utf16_bundle_parses():
    records = parse_stix_bundle(POISONIVY.decode("utf-8").encode("utf-16"))

    assert len(records) == 155


def test_undecodable_bytes_reject_the_file():
    with pytest.raises(FileRejected, match="cannot be decoded"):
        parse_stix_bundle(b'{"type": "bundle", "objects": ["\xff\xfe\xfa"]}')
