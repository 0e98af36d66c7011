"""The public export and the CSV files a spreadsheet may open: cells a spreadsheet would
execute are neutralised; the rest round-trips unchanged."""

import csv

import duckdb
import pytest

from orchestration.publish.exports import export_public
from orchestration.publish.spreadsheet_csv import write_csv


def written_cells(tmp_path, select: str, parameters=()) -> list[list[str]]:
    """The rows (header first) that write_csv gives for a one-off query."""
    with duckdb.connect() as connection:
        write_csv(connection, select, tmp_path / "cells.csv", parameters=parameters)
    with (tmp_path / "cells.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, strict=True))


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_like_text_is_neutralised(tmp_path, text):
    assert written_cells(tmp_path, "select ?::varchar as cell", [text]) == [
        ["cell"],
        ["'" + text],
    ]


@pytest.mark.parametrize("text", ["invoice-portal.example.net", "a=b", "1-2", "", "'quoted"])
def test_other_text_is_unchanged(tmp_path, text):
    assert written_cells(tmp_path, "select ?::varchar as cell", [text]) == [["cell"], [text]]


def test_each_type_is_written_as_a_spreadsheet_reads_it(tmp_path):
    rows = written_cells(
        tmp_path,
        "select -5 as i, -1.5::double as d, 12.50::decimal(9, 2) as amount, null::varchar as n, "
        "['=x', 'y'] as l, {'k': '-v'} as s, true as b, date '2026-11-05' as day, "
        "timestamptz '2026-11-05 10:00:00+00' as at, "
        "timestamptz '2026-11-05 10:00:00.25+01' as at_fraction",
    )

    assert rows[1] == [
        "-5",  # numbers are numbers, not formulas
        "-1.5",
        "12.50",
        "",
        '["=x","y"]',  # lists and structs as JSON: "[" or "{" first, nothing to execute
        '{"k":"-v"}',
        "true",
        "2026-11-05",
        "2026-11-05T10:00:00+00:00",  # ISO-8601, in UTC
        "2026-11-05T09:00:00.250000+00:00",
    ]


def test_rows_are_written_in_the_order_asked_for(tmp_path):
    with duckdb.connect() as connection:
        connection.execute("create table t as select range as n, -range as m from range(50000)")
        write_csv(connection, "select * from t", tmp_path / "all.csv")
        write_csv(
            connection,
            "select * from t where n < ?",
            tmp_path / "m.csv",
            order_by=["m"],
            parameters=[10],
        )
    with (tmp_path / "all.csv").open(newline="") as handle:
        assert [int(row[0]) for row in list(csv.reader(handle))[1:]] == list(range(50000))
    with (tmp_path / "m.csv").open(newline="") as handle:
        assert [int(row[0]) for row in list(csv.reader(handle))[1:]] == list(range(9, -1, -1))


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
