"""The SQL functions the rules need, called as dbt's connections call them: registered on a
real DuckDB connection."""

import hashlib
import hmac
import json

import duckdb
import pytest

from orchestration.sql.duckdb_functions import Plugin, register_functions


@pytest.fixture
def sql():
    with duckdb.connect() as connection:
        register_functions(connection)
        yield lambda query, *params: connection.execute(query, list(params)).fetchone()[0]


@pytest.mark.parametrize(
    ("host", "punycode"),
    [
        ("bücher.example", "xn--bcher-kva.example"),
        ("ПРИМЕР.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"),
        ("already.example", "already.example"),
    ],
)
def test_an_international_host_becomes_punycode(sql, host, punycode):
    assert sql("select ccw_idna_host(?)", host) == punycode


@pytest.mark.parametrize("host", ["a" * 64 + ".example", "bad..example", "-start.example"])
def test_a_host_idna_refuses_is_null(sql, host):
    assert sql("select ccw_idna_host(?)", host) is None


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8::1/64", "2001:db8::/64"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
    ],
)
def test_an_ipv6_address_is_compressed(sql, text, canonical):
    assert sql("select ccw_ipv6(?)", text) == canonical


@pytest.mark.parametrize("text", ["2001:db8::g", "198.51.100.7", "", "1::2::3"])
def test_text_that_is_no_ipv6_address_is_null(sql, text):
    assert sql("select ccw_ipv6(?)", text) is None


def test_a_victim_key_is_the_hmac_of_the_name_under_the_partnership_key():
    expected = hmac.new(b"partnership secret", b"acme logistics", hashlib.sha256).hexdigest()
    keys = []
    for secret in ("partnership secret", "another secret"):
        with duckdb.connect() as connection:
            register_functions(connection, victim_key=secret)
            keys += connection.execute("select ccw_victim_key('acme logistics')").fetchone()

    assert keys[0] == expected
    assert keys[1] != expected


def test_functions_pass_null_through(sql):
    assert sql("select [ccw_idna_host(null), ccw_ipv6(null), ccw_victim_key(null)]") == [
        None,
        None,
        None,
    ]


def test_a_stix_pattern_gives_its_comparisons_or_the_place_of_its_error(sql):
    comparisons = sql("select ccw_stix_pattern(?)", "[domain-name:value = 'evil.example']")
    broken = sql("select ccw_stix_pattern(?)", "[domain-name:value = ")

    assert json.loads(comparisons)["comparisons"] == [["domain-name", "value", "=", "evil.example"]]
    assert json.loads(broken)["error"].endswith("at line 1 column 21")  # after the `=`


def test_every_cursor_of_a_warehouse_connection_reads_the_rules_and_writes_to_the_file(tmp_path):
    """As dbt uses the plugin: functions and macros once per connection, then a cursor per
    node that only puts the rules on its search path. The cursor reads the rules, and a table
    it names without a catalog is the warehouse file's, not the rules' in-memory catalog's."""
    path = tmp_path / "build.duckdb"
    plugin = Plugin("ccw", {})
    with duckdb.connect(str(path)) as connection:
        plugin.configure_connection(connection)
        cursor = connection.cursor()
        plugin.configure_cursor(cursor)
        cursor.execute("create table checked as select ccw_refang('hxxp://evil[.]example') as url")
        cursor.close()
    with duckdb.connect(str(path), read_only=True) as reopened:
        assert reopened.execute("select url from main.checked").fetchall() == [
            ("http://evil.example",)
        ]
