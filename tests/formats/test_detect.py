import pytest

from orchestration.landing.formats.detect import describe_unknown, detect_format
from orchestration.landing.formats.text import as_utf8, utf16_without_bom
from tests.conftest import REAL_DATA


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ((REAL_DATA / "stix21_poisonivy_bundle.json").read_bytes(), "stix21"),
        (b'{"objects": [], "type": "bundle", "id": "bundle--1"}', "stix21"),
        (b'{"Event": {"info": "x", "Attribute": []}}', "misp"),
        (b'{"response": [{"Event": {"info": "x"}}]}', "misp"),
        (b'{"operation": {"name": "Cronos"}}', "operation_report"),
        (b'{"indicator": "a.example"}\n{"indicator": "b.example"}\n', "jsonl"),
        (b"value,type\n192.0.2.1,ip\n", "csv"),
        (b"PK\x03\x04rest-of-zip", "xlsx"),
        (b"   \n\t", "empty"),
        (b"\x00\x01\x02\x03binary", "unknown"),
    ],
)
def test_format_is_read_from_content(content, expected):
    assert detect_format(content) == expected


def test_utf16_bundle_is_recognised():
    data = '{"type": "bundle", "objects": []}'.encode("utf-16")

    assert detect_format(data) == "stix21"


def test_an_unknown_format_is_described_without_quoting_it():
    data = b"\x00\x01secret-victim-name" + bytes(100)

    described = describe_unknown(data)

    assert described == "120 bytes starting 00 01 73 65 (binary (NUL bytes))"
    assert detect_format(b"[1, 2, 3]") == "unknown"
    assert describe_unknown("[1, 2]".encode("utf-16")).endswith("(UTF-16 with BOM)")


def test_json_lines_of_one_line_or_a_long_first_line_are_json_lines():
    long_first = b'{"value": "' + b"a" * 70_000 + b'.example"}\n{"value": "b.example"}\n'

    assert detect_format(b'{"value": "a.example", "type": "domain"}') == "jsonl"
    assert detect_format(b'{"value": "a.example", "type": "domain"}\n') == "jsonl"
    assert detect_format(long_first) == "jsonl"
    assert detect_format(b'{"value": "truncated') == "jsonl"  # lands as one damaged line


def test_utf16_without_bom_is_read_as_text():
    for encoding in ("utf-16-le", "utf-16-be"):
        csv_text = "value,type\n192.0.2.1,ip\n".encode(encoding)
        bundle = '{"type": "bundle", "objects": []}'.encode(encoding)

        assert utf16_without_bom(csv_text) == encoding
        assert detect_format(as_utf8(csv_text)) == "csv"
        assert as_utf8(csv_text) == b"value,type\n192.0.2.1,ip\n"
        assert detect_format(as_utf8(bundle)) == "stix21"
    assert as_utf8(b"\x00\x01\x02\x03binary") == b"\x00\x01\x02\x03binary"
    assert utf16_without_bom(b"plain,ascii\n") is None
