"""Flat JSON lines are renamed in bulk; the records must be exactly those the line-by-line
reader makes, whatever the file holds."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.landing.formats.jsonl import parse_jsonl
from tests.conftest import SAMPLE_DROPS

KEYS = ["indicator", "type", "first_seen", "count", "sensor_country", "note"]
TEXT = st.text(alphabet=st.sampled_from(list('ab1 .:,{}[]é€\u2028"\\\t/')), max_size=8)
VALUE = st.one_of(
    TEXT,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 9), max_size=2),
)
# what a flat line holds: plain strings, integers, booleans, nulls
FLAT_VALUE = st.one_of(
    st.text(alphabet="ab1 .:-,{}é", max_size=8),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.booleans(),
    st.none(),
)


@st.composite
def lines(draw):
    """A JSON line as partners write it, or something that is not one."""
    kind = draw(st.sampled_from(["flat", "flat", "usual", "other keys", "broken", "blank"]))
    if kind == "blank":
        return draw(st.sampled_from(["", "  ", "\t", "{}", "{ }"]))
    keys = KEYS[:4] if kind != "other keys" else draw(st.permutations(KEYS))[:3]
    value = FLAT_VALUE if kind == "flat" else VALUE
    obj = {key: draw(value) for key in keys}
    separators = draw(st.sampled_from([(", ", ": "), (",", ":"), (" , ", " : ")]))
    text = json.dumps(obj, ensure_ascii=draw(st.booleans()), separators=separators)
    if kind == "broken":
        text = text[: draw(st.integers(0, len(text)))] + draw(st.sampled_from(["", ",}", "]"]))
    return text


def both_ways(data: bytes, context):
    return list(parse_jsonl(data, context)), list(parse_jsonl(data, context, in_bulk=False))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.lists(lines(), min_size=1, max_size=15), line_ending=st.sampled_from(["\n", "\r\n"]))
def test_records_are_the_same_as_line_by_line(context_for, body, line_ending):
    data = (line_ending.join(body) + line_ending).encode("utf-8")
    try:
        in_bulk, one_by_one = both_ways(data, context_for("harbor-isp"))
    except Exception as exc:  # the file is rejected: the same way by both readers
        try:
            parse_jsonl(data, context_for("harbor-isp"), in_bulk=False)
        except Exception as other:
            assert str(other) == str(exc)
            return
        raise
    assert in_bulk == one_by_one


def test_sample_drops_read_the_same_both_ways(context_for):
    files = sorted(SAMPLE_DROPS.rglob("*.jsonl"))
    assert files
    for path in files:
        in_bulk, one_by_one = both_ways(path.read_bytes(), context_for(path.parts[-3]))
        assert in_bulk == one_by_one, path
        assert in_bulk, path


def test_a_large_file_keeps_every_line_in_its_place(context_for):
    """Big enough for DuckDB to split the work between threads."""
    lines = [
        json.dumps({"indicator": f"host{n}.example", "type": "domain", "count": n})
        if n % 997
        else '{"indicator": "cut'
        for n in range(300_000)
    ]
    data = ("\n".join(lines) + "\n").encode()

    in_bulk = parse_jsonl(data, context_for("harbor-isp")).to_arrow()
    one_by_one = parse_jsonl(data, context_for("harbor-isp"), in_bulk=False).to_arrow()

    assert in_bulk.equals(one_by_one)
    assert in_bulk.column("record_locator")[12345].as_py() == "line 12346"
    assert in_bulk.column("parse_error").null_count == 300_000 - 301
