"""The normalization rules (orchestration/sql/duckdb_macros.sql) on a real DuckDB connection: times
as partners write them, type words, confidences, refang and canonical indicator values."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.sql.duckdb_functions import register_functions


@pytest.fixture(scope="module")
def sql():
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    register_functions(connection)

    def run(expression: str, *parameters: object) -> object:
        return connection.execute(f"select {expression}", list(parameters)).fetchone()[0]

    yield run
    connection.close()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# Times -----------------------------------------------------------------------------------------

STANDARD_TIME = utc(2023, 12, 27, 17, 54, 38)


@pytest.mark.parametrize(
    "text",
    [
        "2023-12-27T17:54:38Z",
        "2023-12-27 17:54:38Z",
        "2023-12-27T17:54:38 UTC",
        "2023-12-27T17:54:38+00:00",
        "2023-12-27T18:54:38+0100",
        "2023-12-27T18:54:38+01",
        "2023-12-27T12:54:38-05:00",
        "Wed, 27 Dec 2023 17:54:38 +0000",
        "Wed, 27 Dec 2023 17:54:38 GMT",
        "27 Dec 2023 18:54:38 +0100",
        "1703699678",
        "1703699678000",
        "1703699678000000",
    ],
)
def test_times_that_carry_their_zone_ignore_the_partners(sql, text):
    assert sql("ccw_utc_time(?, 'America/New_York', 'mdy')", text) == STANDARD_TIME


@pytest.mark.parametrize(
    ("text", "date_order"),
    [
        ("2023-12-27 18:54:38", "dmy"),
        ("2023-12-27T18:54:38", "mdy"),
        ("27.12.2023 18:54:38", "mdy"),
        ("27/12/2023 18:54:38", "dmy"),
        ("12/27/2023 18:54:38", "mdy"),
        ("27-12-2023 18:54:38", "dmy"),
        ("2023/12/27 18:54:38", "dmy"),
        ("27-Dec-2023 18:54:38", "dmy"),
        ("27 dec 2023 18:54:38", "mdy"),
        ("Wed, 27 Dec 2023 18:54:38", "dmy"),
    ],
)
def test_naive_times_are_the_partners_local_time(sql, text, date_order):
    assert sql("ccw_utc_time(?, 'Europe/Paris', ?)", text, date_order) == STANDARD_TIME


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27.12.2023", utc(2023, 12, 26, 23)),
        ("12/27/2023 17:54", utc(2023, 12, 27, 16, 54)),
        ("2023-12-27T17:54:38.250", utc(2023, 12, 27, 16, 54, 38, 250000)),
        ("1703699678123", utc(2023, 12, 27, 17, 54, 38, 123000)),
    ],
)
def test_dates_without_seconds_fractions_and_milliseconds(sql, text, expected):
    assert sql("ccw_utc_time(?, 'Europe/Paris', 'mdy')", text) == expected


@pytest.mark.parametrize(
    ("text", "date_order", "expected"),
    [
        ("2023/12/27 18:54", "dmy", utc(2023, 12, 27, 17, 54)),
        ("27.12.2023 18:54", "mdy", utc(2023, 12, 27, 17, 54)),
        ("27/12/2023 18:54", "dmy", utc(2023, 12, 27, 17, 54)),
        ("27-Dec-2023 18:54", "dmy", utc(2023, 12, 27, 17, 54)),
        ("27 dec 2023 18:54", "mdy", utc(2023, 12, 27, 17, 54)),
        ("Wed, 27 Dec 2023 18:54", "dmy", utc(2023, 12, 27, 17, 54)),
        ("2023/12/27", "dmy", utc(2023, 12, 26, 23)),
        ("27-12-2023", "dmy", utc(2023, 12, 26, 23)),
        ("12/27/2023", "mdy", utc(2023, 12, 26, 23)),
        ("27-Dec-2023", "mdy", utc(2023, 12, 26, 23)),
    ],
)
def test_every_written_form_reads_with_or_without_its_time_fields(sql, text, date_order, expected):
    assert sql("ccw_utc_time(?, 'Europe/Paris', ?)", text, date_order) == expected


def test_day_and_month_order_is_the_partners_never_a_guess(sql):
    assert sql("ccw_utc_time('03/04/2024', 'UTC', 'dmy')") == utc(2024, 4, 3)
    assert sql("ccw_utc_time('03/04/2024', 'UTC', 'mdy')") == utc(2024, 3, 4)
    # without a registered order an all-numeric date is unreadable, even an unambiguous one
    assert sql("ccw_utc_time('27/12/2023', 'UTC', null)") is None
    assert sql("ccw_time_is_unreadable('27/12/2023', 'UTC', null)") is True


@pytest.mark.parametrize(
    "text",
    ["2023-02-30", "31/04/2024", "2023-12-27 25:00", "30.02.2024 10:00", "32-Dec-2023", "soon"],
)
def test_impossible_dates_are_unreadable(sql, text):
    assert sql("ccw_utc_time(?, 'UTC', 'dmy')", text) is None
    assert sql("ccw_time_is_unreadable(?, 'UTC', 'dmy')", text) is True


def test_an_empty_time_is_no_time_and_no_problem(sql):
    assert sql("ccw_utc_time('  ', 'UTC', 'dmy')") is None
    assert sql("ccw_time_is_unreadable('  ', 'UTC', 'dmy')") is False


def test_excel_serial_days_only_in_workbooks(sql):
    assert sql("ccw_utc_time('45287.75', 'UTC', 'dmy', serials := true)") == utc(2023, 12, 27, 18)
    assert sql("ccw_utc_time('45287', 'Europe/Paris', 'dmy', serials := true)") == utc(
        2023, 12, 26, 23
    )
    assert sql("ccw_utc_time('45287.75', 'UTC', 'dmy')") is None


# Type words and confidence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Hash-MD5", "hashmd5"),
        ("hash_md5", "hashmd5"),
        ("HASH MD5", "hashmd5"),
        ("ipv4-addr", "ipv4addr"),
        ("FileHash-SHA256", "filehashsha256"),
        ("file:hashes.'SHA-256'", "file:hashes.sha256"),
        ("ip:port", "ip:port"),
        (" ", None),
    ],
)
def test_type_words_compare_without_case_spaces_dashes_underscores(sql, spelling, key):
    assert sql("ccw_type_key(?)", spelling) == key


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [
        ("50%", "0-10", 50),
        ("50 %", "0-100", 50),
        ("72.6", "0-100", 73),
        ("7", "0-10", 70),
        ("0.85", "0-1", 85),
        ("1", "0-1", 100),
        ("70", "0-10", None),
        ("101", "0-100", None),
        ("120%", "0-100", None),
        ("-5", "0-100", None),
        ("high", "0-100", None),
    ],
)
def test_numeric_confidence_follows_the_partners_scale(sql, text, scale, expected):
    assert sql("ccw_numeric_confidence(?, ?)", text, scale) == expected


# Refang and canonical values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator_type", "fanged", "canonical"),
    [
        ("url", "hxxp://evil[.]example/path", "http://evil.example/path"),
        ("url", "hXXps[:]//evil(.)example", "https://evil.example"),
        ("url", "xxxx://evil.example/a", "http://evil.example/a"),
        ("url", "xxxxs://evil.example/a", "https://evil.example/a"),
        ("url", "meow://evil.example/", "http://evil.example/"),
        ("url", "hxxp[://]evil.example", "http://evil.example"),
        ("url", "http ://evil.example", "http://evil.example"),
        ("url", "http:\\/\\/evil.example\\/x", "http://evil.example/x"),
        ("url", "evil.example/login", "http://evil.example/login"),
        ("url", "HTTP://EVIL.Example/Path?Q=1", "http://evil.example/Path?Q=1"),
        ("domain-name", "evil[.]example", "evil.example"),
        ("domain-name", "evil(.)example", "evil.example"),
        ("domain-name", "evil{.}example", "evil.example"),
        ("domain-name", "evil[.)example", "evil.example"),
        ("domain-name", "evil[dot]example", "evil.example"),
        ("domain-name", "evil(dot)example", "evil.example"),
        ("domain-name", "evil dot example", "evil.example"),
        ("domain-name", "evil\\.example", "evil.example"),
        ("domain-name", "Evil.Example.", "evil.example"),
        ("email-addr", "billing[at]evil.example", "billing@evil.example"),
        ("email-addr", "billing(at)evil[.]example", "billing@evil.example"),
        ("email-addr", "billing[@]evil.example", "billing@evil.example"),
        ("email-addr", "billing at evil.example", "billing@evil.example"),
        ("ipv4-addr", "198.51.100[.]23", "198.51.100.23"),
        ("ipv4-addr", "198[.]51[.]100[.]23", "198.51.100.23"),
    ],
)
def test_defanged_values_are_refanged(sql, indicator_type, fanged, canonical):
    assert sql("ccw_indicator_value(?, ?)", indicator_type, fanged) == canonical


@pytest.mark.parametrize(
    ("indicator_type", "value"),
    [
        ("email-addr", "meow@example.org"),
        ("domain-name", "meowcorp.example"),
        ("domain-name", "hxxpress.example"),
        ("domain-name", "xxxx.example"),
        ("domain-name", "attack.example"),
        ("domain-name", "dotcom.example"),
        ("email-addr", "cat@dot.example"),
        ("url", "http://meow.example/hxxp/at/dot"),
    ],
)
def test_ordinary_text_that_resembles_a_defang_token_is_untouched(sql, indicator_type, value):
    assert sql("ccw_indicator_value(?, ?)", indicator_type, value) == value


def test_untyped_values_are_not_turned_into_urls(sql):
    assert sql("ccw_indicator_type(null, 'meowcorp.example')") == "domain-name"
    assert sql("ccw_indicator_type(null, 'meow@example.org')") == "email-addr"
    assert sql("ccw_indicator_value('email-addr', 'meow@example.org')") == "meow@example.org"


_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_word = st.sampled_from(["meow", "hxxp", "xxxx", "at", "dot", "http", "cat", "data"])
_label_with_words = st.builds(lambda a, w, b: f"{a}{w}{b}", _label, _word, _label)
_host = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(st.one_of(_label, _label_with_words), min_size=1, max_size=3),
    st.sampled_from(["example", "org", "com", "xn--p1ai", "io"]),
)
_path = st.from_regex(
    r"(/[A-Za-z0-9._~%!$&'*+,;=:@-]{0,12}){0,3}(\?[a-z=&0-9]{0,8})?", fullmatch=True
)
_values = st.one_of(
    st.tuples(st.just("domain-name"), _host),
    st.tuples(
        st.just("email-addr"),
        st.builds(
            lambda local, host: f"{local}@{host}", st.one_of(_label, _label_with_words), _host
        ),
    ),
    st.tuples(
        st.just("url"),
        st.builds(
            lambda scheme, host, path: f"{scheme}://{host}{path}",
            st.sampled_from(["http", "https", "ftp"]),
            _host,
            _path,
        ),
    ),
    st.tuples(st.just("ipv4-addr"), st.ip_addresses(v=4).map(str)),
    st.tuples(st.just("ipv6-addr"), st.ip_addresses(v=6).map(lambda a: a.compressed)),
    st.tuples(st.just("file:sha256"), st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_canonical_values_are_left_as_they_are(sql, typed_value):
    indicator_type, value = typed_value
    assert sql("ccw_indicator_is_valid(?, ?)", indicator_type, value)
    assert sql("ccw_indicator_value(?, ?)", indicator_type, value) == value


_noise = st.lists(
    st.sampled_from([*"aZ9.-_/:@[](){}\\ ", "dot", "at", "hxxp", "meow", "[.]", "://"]),
    max_size=20,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["domain-name", "email-addr", "url", "ipv4-addr", "ipv6-addr"]),
    st.one_of(_noise, _values.map(lambda typed: typed[1])),
)
def test_canonicalizing_is_idempotent(sql, indicator_type, value):
    once = sql("ccw_indicator_value(?, ?)", indicator_type, value)
    if not sql("ccw_indicator_is_valid(?, ?)", indicator_type, once):
        return  # not a canonical value: quarantined, never published
    assert sql("ccw_indicator_value(?, ?)", indicator_type, once) == once
