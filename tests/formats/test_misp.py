import json
from collections import Counter

import pytest

from orchestration.landing.formats.detect import detect_format
from orchestration.landing.formats.misp import parse_misp
from orchestration.landing.formats.records import FileRejected
from tests.conftest import REAL_DATA

CIRCL = (REAL_DATA / "misp_event_circl_asert_2016.json").read_bytes()


def event(**extra):
    return {
        "uuid": "5f1d0000-0000-4000-8000-000000000001",
        "info": "Invoice lure campaign",
        "date": "2026-11-02",
        "timestamp": "1793577600",
        "Tag": [{"name": "tlp:amber"}, {"name": 'misp-galaxy:threat-actor="LockBit"'}],
        "Attribute": [
            {"uuid": "a1", "type": "domain", "value": "invoice-portal[.]example[.]net"},
            {
                "uuid": "a2",
                "type": "ip-dst",
                "value": "198.51.100.23",
                "Tag": [{"name": "tlp:red"}],
            },
        ],
        "Object": [
            {
                "uuid": "o1",
                "name": "file",
                "meta-category": "file",
                "Attribute": [
                    {
                        "uuid": "a3",
                        "type": "filename",
                        "value": "invoice.pdf.exe",
                        "object_relation": "filename",
                    },
                    {
                        "uuid": "a4",
                        "type": "sha256",
                        "value": "AB" * 32,
                        "object_relation": "sha256",
                    },
                ],
            }
        ],
        **extra,
    }


def contents(records, record_type):
    return [json.loads(r.content) for r in records if r.record_type == record_type]


def test_real_event_yields_every_attribute(context_for):
    records = parse_misp(CIRCL, context_for("nordic-cert"))

    attributes = contents(records, "attribute")
    source = json.loads(CIRCL)["Event"]["Attribute"]
    assert len(attributes) == len(source) == 370
    assert Counter(a["attribute"]["type"] for a in attributes)["filename|sha256"] == 46
    assert {a["event_uuid"] for a in attributes} == {"57153590-f73c-49fa-be4b-4737950d210f"}
    (header,) = contents(records, "event")
    assert header["Tag"][0]["name"] == "tlp:white"
    assert "Attribute" not in header


@pytest.mark.parametrize(
    ("document", "prefix"),
    [
        ({"Event": event()}, "$.Event"),
        (event(), "$"),
        ({"response": [{"Event": event()}, {"Event": event(uuid="e2")}]}, "$.response[0].Event"),
    ],
)
def test_all_three_export_shapes(document, prefix, context_for):
    records = parse_misp(json.dumps(document).encode(), context_for("nordic-cert"))

    locators = [r.locator for r in records]
    assert f"{prefix}.Attribute[1]" in locators
    assert f"{prefix}.Object[0].Attribute[1]" in locators
    per_event = 1 + 1 + 2 + 2  # event, object, two attributes, two object attributes
    assert len(records) == per_event * len(document.get("response", [None]))


def test_object_attributes_carry_their_object_and_event(context_for):
    records = parse_misp(json.dumps({"Event": event()}).encode(), context_for("nordic-cert"))

    by_uuid = {a["attribute"]["uuid"]: a for a in contents(records, "attribute")}
    assert by_uuid["a4"]["object_name"] == "file"
    assert by_uuid["a4"]["object_uuid"] == "o1"
    assert by_uuid["a4"]["event_uuid"] == by_uuid["a1"]["event_uuid"]
    assert by_uuid["a1"]["object_uuid"] is None
    assert by_uuid["a2"]["attribute"]["Tag"] == [{"name": "tlp:red"}]
    assert by_uuid["a1"]["attribute"]["value"] == "invoice-portal[.]example[.]net"


def test_damaged_attribute_is_kept(context_for):
    document = event(Attribute=[{"uuid": "ok", "type": "md5", "value": "x"}, "junk", {"uuid": "b"}])

    records = parse_misp(json.dumps(document).encode(), context_for("nordic-cert"))

    errors = {r.locator: r.error for r in records if r.error}
    assert errors == {
        "$.Attribute[1]": "attribute is not an object",
        "$.Attribute[2]": "attribute lacks type or value",
    }


def test_truncated_export_is_rejected(context_for):
    with pytest.raises(FileRejected, match="invalid JSON at line"):
        parse_misp(CIRCL[:-200], context_for("nordic-cert"))


def test_bare_event_made_only_of_objects_is_read():
    bare = {
        "Object": [
            {
                "name": "file",
                "uuid": "o1",
                "Attribute": [{"type": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e"}],
            }
        ]
    }

    records = parse_misp(json.dumps(bare).encode(), None)

    assert [(r.locator, r.record_type) for r in records] == [
        ("$", "event"),
        ("$.Object[0]", "object"),
        ("$.Object[0].Attribute[0]", "attribute"),
    ]


def test_response_around_bare_and_wrapped_events():
    document = {
        "response": [
            {"uuid": "e1", "info": "bare", "Attribute": [{"type": "domain", "value": "a.example"}]},
            {"Event": {"uuid": "e2", "Attribute": [{"type": "domain", "value": "b.example"}]}},
            "not an event",
        ]
    }

    records = parse_misp(json.dumps(document).encode(), None)

    assert [(r.locator, r.record_type, r.error) for r in records] == [
        ("$.response[0]", "event", None),
        ("$.response[0].Attribute[0]", "attribute", None),
        ("$.response[1].Event", "event", None),
        ("$.response[1].Event.Attribute[0]", "attribute", None),
        ("$.response[2]", None, "event is not a JSON object"),
    ]


def test_deleted_flags_reach_the_records():
    document = {
        "Event": {
            "uuid": "e1",
            "Attribute": [{"type": "domain", "value": "gone.example", "deleted": True}],
            "Object": [
                {
                    "uuid": "o1",
                    "deleted": True,
                    "Attribute": [{"type": "domain", "value": "in-gone-object.example"}],
                }
            ],
        }
    }

    records = {
        r.locator: json.loads(r.content) for r in parse_misp(json.dumps(document).encode(), None)
    }

    assert records["$.Event.Attribute[0]"]["attribute"]["deleted"] is True
    assert records["$.Event.Object[0]"]["deleted"] is True
    assert records["$.Event.Object[0].Attribute[0]"]["object_deleted"] is True


@pytest.mark.parametrize(
    "name",
    [
        "mispevent_testfiles_event_obj_attr_tag.json",
        "mispevent_testfiles_misp_custom_obj.json",
        "mispevent_testfiles_malware_exist.json",
    ],
)
def test_real_misp_test_events_of_every_shape_are_read(name):
    data = (REAL_DATA / "pymisp-events" / name).read_bytes()

    records = parse_misp(data, None)

    assert {r.record_type for r in records} >= {"event", "attribute"}
    assert all(r.error is None for r in records)


def test_a_bare_array_of_events_is_read_like_a_response():
    document = [{"Event": {"uuid": "e1", "Attribute": [{"type": "domain", "value": "a.example"}]}}]
    data = json.dumps(document).encode()

    records = parse_misp(data, None)

    assert detect_format(data) == "misp"
    assert [(r.locator, r.record_type) for r in records] == [
        ("$[0].Event", "event"),
        ("$[0].Event.Attribute[0]", "attribute"),
    ]
