"""CSV and XLSX tables as partners write them: real feeds with comment headers, partner
column names through the synonyms seed, damaged rows and workbooks."""

import io
import json
from datetime import datetime

import pandas as pd
import pytest

from orchestration.landing.formats.records import FileRejected
from orchestration.landing.formats.tabular import parse_csv, parse_xlsx
from tests.conftest import REAL_DATA

FEODO = (REAL_DATA / "feodotracker_ipblocklist_2024-04-04.csv").read_bytes()


def contents(records):
    return [json.loads(r.content) for r in records]


def test_real_feodo_list_skips_comment_header_and_trailer(context_for):
    records = parse_csv(FEODO, context_for("harbor-isp"))

    data_lines = [
        n
        for n, line in enumerate(FEODO.decode().splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ][1:]  # minus the header
    assert [r.locator for r in records] == [f"line {n}" for n in data_lines]
    assert all(r.error is None and r.record_type == "ioc" for r in records)
    first = contents(records)[0]
    assert first["value"] == "192.9.135.73"
    # the header says first_seen_utc: the field lands as UTC, whatever the partner's zone
    assert first["first_seen_utc"] == "2023-05-23 17:51:44"
    assert "first_seen" not in first
    assert first["port"] == "1194"
    assert (
        records[0].original
        == '"2023-05-23 17:51:44","192.9.135.73","1194","online","2024-04-01","Pikabot"'
    )


def test_partner_headers_map_through_synonyms_in_windows_1252(context_for):
    data = (
        "IOC;IOC Type;Date Observed;Confidence Level;Threat Actor;TLP\r\n"
        "invoice-portal.example.net;Domain;02/11/2026 14:30;High;LockBit 3.0;TLP:AMBER\r\n"
        "198.51.100.7;IP Address;03/11/2026 09:05;Low;Société Générale leak;TLP:GREEN\r\n"
    ).encode("cp1252")

    records = parse_csv(data, context_for("finsec-isac"))

    rows = contents(records)
    assert rows[0] == {
        "value": "invoice-portal.example.net",
        "type": "Domain",
        "first_seen": "02/11/2026 14:30",
        "confidence": "High",
        "actor": "LockBit 3.0",
        "tlp": "TLP:AMBER",
    }
    assert rows[1]["actor"] == "Société Générale leak"
    assert [r.locator for r in records] == ["line 2", "line 3"]


def test_another_partner_cannot_use_a_partner_specific_spelling(context_for):
    data = b"IOC;IOC Type;Date Observed\nx.example;Domain;02/11/2026 14:30\n"

    records = parse_csv(data, context_for("harbor-isp"))  # "ioc", "ioc_type" are global

    assert contents(records)[0]["type"] == "Domain"
    assert contents(records)[0]["extra"] == {"Date Observed": "02/11/2026 14:30"}


def test_unmapped_required_column_rejects_the_file_naming_columns(context_for):
    data = b"indicateur,genre\nx.example,domaine\n"

    with pytest.raises(FileRejected, match=r"2 of 2 columns unmapped \(positions 1, 2\)"):
        parse_csv(data, context_for("harbor-isp"))


def test_a_file_without_header_line_is_rejected_without_quoting_its_first_row(context_for):
    first_row = "Acme Logistics SA,2026-10-14,canary-red.example,TLP:RED"
    data = (first_row + "\nBeta Freight SA,2026-10-15,b.example,TLP:RED\n").encode()

    with pytest.raises(FileRejected) as rejected:
        parse_csv(data, context_for("finsec-isac"))

    message = str(rejected.value)
    assert "header line missing" in message
    assert not any(cell in message for cell in first_row.split(","))


def test_ragged_row_and_quoted_comma_are_kept(context_for):
    data = (
        b"value,type,first_seen,last_seen,confidence,tlp,comment\n"
        b'203.0.113.5,ip,2026-11-02T10:00:00Z,,80,TLP:GREEN,"scanner, noisy"\n'
        b"203.0.113.6,ip,2026-11-02T10:00:00Z\n"
        b"\n"
        b'"multi\nline.example",domain,1793577600,,50,amber,"two\nlines"\n'
    )

    records = parse_csv(data, context_for("harbor-isp"))

    assert [r.locator for r in records] == ["line 2", "line 3", "line 5"]
    assert contents(records)[0]["comment"] == "scanner, noisy"
    assert records[1].error == "row has 3 cells, the header has 7"
    assert contents(records)[2]["value"] == "multi\nline.example"
    assert records[2].original == '"multi\nline.example",domain,1793577600,,50,amber,"two\nlines"'


def test_undecodable_line_is_flagged_not_dropped(context_for):
    data = (
        b"value,type\n"
        b"caf\xc3\xa9.example,domain\n"  # UTF-8
        b"caf\xe9.example,domain\n"  # Windows-1252
        b"bad\x81\x8d.example,domain\n"  # neither
    )

    records = parse_csv(data, context_for("harbor-isp"))

    assert [json.loads(r.content)["value"] for r in records[:2]] == ["café.example"] * 2
    assert records[2].error.startswith("byte at column 4 is neither UTF-8 nor Windows-1252")
    assert records[0].error is None and records[1].error is None


def test_header_only_file_has_no_records(context_for):
    assert len(parse_csv(b"value,type,first_seen\n", context_for("harbor-isp"))) == 0


def claims_workbook() -> bytes:
    buffer = io.BytesIO()
    claims = pd.DataFrame(
        {
            "Claim Ref": ["CLM-1", "CLM-2"],
            "Loss Date": [datetime(2026, 10, 28), datetime(2026, 11, 1)],
            "Insured": ["Acme Logistics SA", "Müller GmbH"],
            "Industry": ["Transport", "Manufacturing"],
            "Country": ["France", "DEU"],
            "Threat Actor": ["LockBit", None],
            "Ransom Paid": [250000.0, None],
            "Currency": ["EUR", "EUR"],
            "Business Interruption Days": [6, 2],
            "Total Loss": [1200000.5, 80000],
        }
    )
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"Total": [2]}).to_excel(writer, sheet_name="summary", index=False)
        claims.to_excel(writer, sheet_name="claims", index=False)
    return buffer.getvalue()


def test_workbook_reads_the_claims_sheet(context_for):
    records = parse_xlsx(claims_workbook(), context_for("sentinel-insure"))

    assert [r.locator for r in records] == ["sheet claims row 2", "sheet claims row 3"]
    first, second = contents(records)
    assert first["claim_ref"] == "CLM-1"
    assert first["loss_date"] == "2026-10-28T00:00:00"
    assert first["interruption_days"] == 6
    assert first["total_loss"] == 1200000.5
    assert second["actor"] is None and second["country"] == "DEU"
    assert {r.record_type for r in records} == {"claim"}


def test_damaged_workbook_is_rejected(context_for):
    with pytest.raises(FileRejected, match="not a readable XLSX workbook"):
        parse_xlsx(b"PK\x03\x04" + b"\x00" * 100, context_for("sentinel-insure"))


def test_a_quote_left_open_ends_at_the_next_line_that_reads_as_a_row(context_for):
    rows = [f"ok-{n}.example,domain,2026-11-01" for n in range(10)]
    data = "\n".join(
        [
            "value,type,first_seen",
            'broken.example,domain,"2026-11-01',  # its quote is never closed
            *rows[:5],
            '"quoted, comma.example",domain,2026-11-01',  # well quoted: a row of its own
            *rows[5:],
        ]
    ).encode()

    records = parse_csv(data, context_for("harbor-isp"))

    assert [r.locator for r in records] == [f"line {n}" for n in range(2, 14)]
    assert records[0].error == "a quote opened on line 2 is never closed"
    assert records[0].original == 'broken.example,domain,"2026-11-01'
    values = [json.loads(r.content)["value"] for r in records[1:]]
    assert values == [*[f"ok-{n}.example" for n in range(5)], "quoted, comma.example"] + [
        f"ok-{n}.example" for n in range(5, 10)
    ]
    assert all(r.error is None for r in records[1:])
