"""STIX patterns read by the specification's grammar (stix2-patterns), with a fast path for
the common shape that must agree with the grammar on every pattern it takes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.sql import stix_patterns
from orchestration.sql.stix_patterns import read_pattern


@pytest.mark.parametrize(
    ("pattern", "comparisons", "qualified"),
    [
        (
            "[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'evil.example']",
            [
                ("ipv4-addr", "value", "=", "198.51.100.1"),
                ("domain-name", "value", "=", "evil.example"),
            ],
            False,
        ),
        (
            "[file:hashes.'SHA-256' = 'AB' AND file:hashes.MD5 = 'cd']",
            [("file", "hashes.sha-256", "=", "AB"), ("file", "hashes.md5", "=", "cd")],
            False,
        ),
        (
            "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] WITHIN 600 SECONDS",
            [("ipv4-addr", "value", "ISSUBSET", "198.51.100.0/24")],
            True,
        ),
        (
            r"[url:value = 'http://a.example/it\'s']",
            [("url", "value", "=", "http://a.example/it's")],
            False,
        ),
        ("[email-message:subject MATCHES '^Invoice']", [], False),
        ("[network-traffic:dst_port = 443]", [], False),
        (
            "[ipv4-addr:value == '198.51.100.2']",
            [("ipv4-addr", "value", "=", "198.51.100.2")],
            False,
        ),
        ("[ipv4-addr:value NOT = '198.51.100.3']", [], False),
    ],
)
def test_valid_patterns_give_their_equality_comparisons(pattern, comparisons, qualified):
    read = read_pattern(pattern)

    assert "error" not in read
    assert sorted(read["comparisons"]) == sorted(comparisons)
    assert read["qualified"] is qualified


def test_object_types_and_properties_are_case_sensitive():
    (comparison,) = read_pattern("[IPV4-ADDR:VALUE = '198.51.100.1']")["comparisons"]

    # read as delivered: no seed type is spelled so, so it is an unknown type, not an IPv4
    assert comparison[:2] == ("IPV4-ADDR", "VALUE")


@pytest.mark.parametrize(
    "pattern",
    [
        "[ipv4-addr:value = '198.51.100.1'",
        "[ipv4-addr:value = '198.51.100.1'] WITHIN 5 HOURS",
        "[ipv4-addr:value = '198.51.100.1'] within 2 seconds",
        "[ipv4-addr:value = '198.51.100.1'] or [domain-name:value = 'a.example']",
        "ipv4-addr:value = '198.51.100.1'",
        "[ipv4-addr:value === '198.51.100.1']",
        "",
    ],
)
def test_invalid_syntax_is_an_error_naming_the_place_not_the_content(pattern):
    read = read_pattern(pattern)

    assert read.get("error", "").startswith("pattern is not valid STIX 2.1 pattern syntax")
    assert "198.51.100.1" not in read["error"]


_type = st.from_regex(r"[a-z]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_property = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: name not in stix_patterns.KEYWORDS
)
_string = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


_path_part = st.one_of(_property, st.builds(_literal, _string))
_comparison = st.builds(
    lambda t, first, rest, op, value: f"{t}:{'.'.join([first, *rest])} {op} {_literal(value)}",
    _type,
    _property,
    st.lists(_path_part, max_size=2),
    st.sampled_from(["=", "ISSUBSET"]),
    _string,
)
_joined = st.sampled_from([" AND ", " OR "])
_observation = st.builds(
    lambda first, rest: "[" + first + "".join(j + c for j, c in rest) + "]",
    _comparison,
    st.lists(st.tuples(_joined, _comparison), max_size=2),
)
_pattern = st.builds(
    lambda first, rest: first + "".join(j + o for j, o in rest),
    _observation,
    st.lists(st.tuples(_joined, _observation), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(_pattern)
def test_the_fast_path_reads_what_the_grammar_reads(pattern):
    assert stix_patterns._SIMPLE_PATTERN.fullmatch(pattern)

    fast = stix_patterns._simple_comparisons(pattern)
    by_grammar = stix_patterns._grammar_comparisons(pattern)

    assert sorted(fast) == sorted(by_grammar)


@pytest.mark.parametrize("keyword", stix_patterns.KEYWORDS)
def test_a_keyword_is_never_read_as_a_property_name(keyword):
    pattern = f"[file:hashes.{keyword} = 'ab']"

    assert not stix_patterns._SIMPLE_PATTERN.fullmatch(pattern)
    with pytest.raises(Exception):  # noqa: B017 - the grammar's own parse error
        stix_patterns._grammar_comparisons(pattern)


def test_upper_case_hash_names_take_the_fast_path():
    # the shape most real feeds write (`file:hashes.MD5`), a thousand times cheaper than ANTLR
    pattern = "[file:hashes.MD5 = '83d97ad1d7ab1b0b6a2e9a30b2b11d4f']"

    assert stix_patterns._SIMPLE_PATTERN.fullmatch(pattern)
    assert read_pattern(pattern)["comparisons"] == [
        ("file", "hashes.md5", "=", "83d97ad1d7ab1b0b6a2e9a30b2b11d4f")
    ]
