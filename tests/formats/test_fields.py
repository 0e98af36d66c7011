"""Headers to canonical fields: UTC headers, per-line key spellings, dotted paths."""

import pytest

from orchestration.landing.formats.fields import base_field, without_utc_marker
from orchestration.landing.formats.records import FileRejected


@pytest.mark.parametrize(
    ("header", "bare"),
    [
        ("first seen utc", "first seen"),
        ("first seen (utc)", "first seen"),
        ("date added [utc]", "date added"),
        ("first seen", None),
        ("utc", None),
        ("computed", None),
    ],
)
def test_a_header_that_says_utc(header, bare):
    assert without_utc_marker(header) == bare


@pytest.mark.parametrize("header", ["First_Seen_UTC", "first-seen (UTC)", "FIRST SEEN [utc]"])
def test_headers_compare_without_case_spaces_dashes_underscores(vocabulary, header):
    assert vocabulary.map_headers([header, "url"], "harbor-isp").fields == (
        "first_seen_utc",
        "value",
    )


def test_a_utc_time_column_lands_as_its_utc_field(vocabulary):
    mapping = vocabulary.map_headers(["First Seen (UTC)", "dst_ip", "last_online"], "harbor-isp")

    assert mapping.record_kind == "ioc"
    assert mapping.fields == ("first_seen_utc", "value", "last_seen")
    assert base_field("first_seen_utc") == "first_seen"


def test_a_utc_marker_on_a_field_that_is_no_time_changes_nothing(vocabulary):
    mapping = vocabulary.map_headers(["value", "comment (UTC)"], "harbor-isp")

    assert mapping.fields == ("value", "comment")


def test_two_columns_for_one_field_reject_a_table(vocabulary):
    with pytest.raises(FileRejected, match="same field"):
        vocabulary.map_headers(["value", "first_seen", "first_seen_utc"], "harbor-isp")


def test_json_lines_may_spell_a_field_differently_line_by_line(vocabulary):
    mapping = vocabulary.map_headers(
        ["observable.value", "ts", "observed_at"], "harbor-isp", one_column_per_field=False
    )

    assert mapping.fields == ("value", "first_seen", "first_seen")


def test_dotted_synonyms_name_the_objects_to_read_by_path(vocabulary):
    assert {"observable", "indicator"} <= vocabulary.nested_prefixes("harbor-isp")
