"""Plain CSV lines are turned into records all at once; the records must be exactly those the
row-by-row reader makes, whatever the file holds."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.landing.formats.records import FileRejected
from orchestration.landing.formats.tabular import parse_csv
from tests.conftest import SAMPLE_DROPS

HEADER = "value,type,first_seen,last_seen,confidence,tlp,comment"
# cells drawn from what partners really send, including what needs care in CSV and JSON
CELL = st.text(
    alphabet=st.sampled_from(list('ab1.-: /é€\u2028;|"\\#\t\r\x01\x7f') + [",", "\n", " "]),
    max_size=12,
)


def both_ways(data: bytes, context):
    at_once = list(parse_csv(data, context))
    one_by_one = list(parse_csv(data, context, plain_rows_at_once=False))
    return at_once, one_by_one


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=9), max_size=12),
    line_ending=st.sampled_from(["\n", "\r\n"]),
)
def test_records_are_the_same_as_row_by_row(context_for, rows, line_ending):
    text = line_ending.join([HEADER, *(",".join(cells) for cells in rows)]) + line_ending

    at_once, one_by_one = both_ways(text.encode("utf-8"), context_for("harbor-isp"))

    assert at_once == one_by_one


def test_sample_drops_read_the_same_both_ways(context_for):
    read = 0
    for path in sorted(SAMPLE_DROPS.rglob("*.csv")):
        context = context_for(path.parts[-3])
        try:
            at_once, one_by_one = both_ways(path.read_bytes(), context)
        except FileRejected:  # the sample's bad file: rejected either way
            with pytest.raises(FileRejected):
                parse_csv(path.read_bytes(), context, plain_rows_at_once=False)
            continue
        assert at_once == one_by_one, path
        read += bool(at_once)
    assert read >= 5
