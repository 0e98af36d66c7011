"""The public export: CSV cells a spreadsheet would execute are neutralised; the rest
round-trips unchanged."""

import csv

import duckdb
import pytest

from orchestration.publish.exports import csv_cell, export_public, neutralize_cell


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_like_text_is_neutralised(text):
    assert neutralize_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["invoice-portal.example.net", "a=b", "1-2", "", "'quoted"])
def test_other_text_is_unchanged(text):
    assert neutralize_cell(text) == text


def test_numbers_are_not_mistaken_for_formulas():
    assert csv_cell(-5) == "-5"
    assert csv_cell(-1.5) == "-1.5"
    assert csv_cell(None) == ""
    assert csv_cell(["=x", "y"]) == '["=x", "y"]'  # starts with "[": nothing to execute


def test_export_round_trips_and_neutralises(tmp_path):
    published = tmp_path / "ccw.duckdb"
    rows = [
        ('=HYPERLINK("http://x")', -3, "plain.example"),
        ("@cmd", 7, "+31 20 555"),
        ("ok value", None, "-rf"),
    ]
    with duckdb.connect(str(published)) as connection:
        connection.execute("create schema public")
        connection.execute("create table public.t (label varchar, n integer, other varchar)")
        connection.executemany("insert into public.t values (?, ?, ?)", rows)
        connection.execute("create table main.not_public (secret varchar)")

    tables = export_public(published, tmp_path / "public")

    assert tables == ["t"]
    with (tmp_path / "public" / "t.csv").open(newline="", encoding="utf-8") as handle:
        read = list(csv.reader(handle))
    assert read[0] == ["label", "n", "other"]
    expected = sorted(rows, key=lambda r: r[0])
    for (label, n, other), (csv_label, csv_n, csv_other) in zip(expected, read[1:], strict=True):
        for original, written in ((label, csv_label), (other, csv_other)):
            if original[0] in "=+-@":
                assert written == "'" + original
            else:
                assert written == original
        assert csv_n == ("" if n is None else str(n))
    with duckdb.connect() as connection:
        parquet = connection.execute(
            "select * from read_parquet(?) order by all", [str(tmp_path / "public" / "t.parquet")]
        ).fetchall()
        exported_db = str(tmp_path / "public" / "ccw_public.duckdb")
        connection.execute(f"attach '{exported_db}' as exported (read_only)")
        copied = connection.execute("select * from exported.main.t order by all").fetchall()
        schemas = connection.execute(
            "select distinct table_name from information_schema.tables "
            "where table_catalog = 'exported'"
        ).fetchall()
    assert parquet == copied == sorted(rows, key=lambda r: (r[0], r[1] or 0, r[2]))
    assert schemas == [("t",)]  # nothing but the public schema leaves


def test_no_exported_cell_can_start_a_formula_or_a_row(tmp_path):
    published = tmp_path / "ccw.duckdb"
    hostile = ["\r=1+1", "a\n=2+2", "\t=3", "ok\r\n@SUM(A1)", 'x,"y"', "-1 dropped"]
    with duckdb.connect(str(published)) as connection:
        connection.execute("create schema public")
        connection.execute("create table public.t (label varchar, n integer)")
        connection.executemany("insert into public.t values (?, ?)", [(v, 1) for v in hostile])

    export_public(published, tmp_path / "public")

    raw = (tmp_path / "public" / "t.csv").read_bytes()
    with (tmp_path / "public" / "t.csv").open(newline="", encoding="utf-8") as handle:
        read = list(csv.reader(handle, strict=True))
    assert len(read) == 1 + len(hostile)  # no line break inside a cell opened a row
    assert all(len(row) == 2 for row in read)
    cells = [row[0] for row in read[1:]]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert sorted(cell.lstrip("'") for cell in cells) == sorted(hostile)
    assert raw.startswith(b'"label","n"\n')  # every cell quoted
