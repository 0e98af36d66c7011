"""Markings are enforced by the system: canaries planted in the sample drops and in a record
of every format never reach the audiences above their ceiling, partners' reports hold their
own data only, and RED records cannot change anything public."""

import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.defs.resources import WarehouseConfig
from orchestration.defs.run_nightly import run_nightly
from tests.conftest import Warehouse

RED_CANARIES = ["canary-red-nordic.example.org", "canary-red-event-nordic.example.org"]
STRICT_CANARY = "canary-strict-finsec.example.org"
RED_ID = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"  # TLP 2.0 RED
GREEN_ID = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"  # TLP 2.0 GREEN
DAY = "2026-11-07"
# every format, each with a TLP:RED record carrying "canaryred" in every field that a shareable
# record of the same file (carrying "controlok") brings into the marts
TOKENS = {  # format: the token its records carry in a field the marts show
    "stix": "{}-stix.example",
    "stix campaign": "{} stix campaign",
    "stix actor": "{} stix actor",
    "misp": "{}-misp.example",
    "ioc csv": "{}-csv.example",
    "ioc json lines": "{}-jsonl.example",
    "sighting": "{}-sighting.example",
    "incident": "{} incident actor",
    "claim": "{} claim actor",
    "leak post": "{}group",
    "operation": "operation {}",
}


def _stix_bundle() -> bytes:
    def obj(kind: str, n: int, marking: str, **fields) -> dict:
        return {
            "type": kind,
            "spec_version": "2.1",
            "id": f"{kind}--00000000-0000-4000-8000-{n:012d}",
            "created": "2026-11-06T10:00:00.000Z",
            "modified": "2026-11-06T10:00:00.000Z",
            "object_marking_refs": [marking],
            **fields,
        }

    objects = []
    for n, (word, marking) in enumerate((("canaryred", RED_ID), ("controlok", GREEN_ID))):
        pattern = f"[domain-name:value = '{word}-stix.example']"
        objects += [
            obj(
                "indicator",
                10 * n + 1,
                marking,
                name=f"{word} stix indicator",
                pattern=pattern,
                pattern_type="stix",
                valid_from="2026-11-06T10:00:00Z",
            ),
            obj("campaign", 10 * n + 2, marking, name=f"{word} stix campaign"),
            obj("intrusion-set", 10 * n + 3, marking, name=f"{word} stix actor"),
        ]
    return json.dumps(
        {"type": "bundle", "id": f"bundle--{'0' * 8}-0000-4000-8000-{'1' * 12}", "objects": objects}
    ).encode()


def _misp_event(word: str, tag: str, n: int) -> dict:
    return {
        "uuid": f"00000000-0000-4000-9000-{n:012d}",
        "info": f"{word} misp event",
        "date": "2026-11-06",
        "Tag": [{"name": tag}],
        "Attribute": [
            {"type": "domain", "category": "Network activity", "value": f"{word}-misp.example"}
        ],
    }


def _claims_workbook() -> bytes:
    rows = [
        {
            "Claim Ref": f"SI-CY-26-{n}",
            "Loss Date": "2026-11-01",
            "Insured": f"{word} insured",
            "Industry": "Logistics",
            "Country": "FR",
            "Threat Actor": f"{word} claim actor",
            "Ransom Paid": 1000,
            "Currency": "EUR",
            "Business Interruption Days": 1,
            "Total Loss": 5000,
            "TLP": tlp,
        }
        for n, word, tlp in ((99001, "canaryred", "TLP:RED"), (99002, "controlok", "amber"))
    ]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="claims", index=False)
    return buffer.getvalue()


def plant_red_canaries(warehouse: Warehouse) -> None:
    """Deliver, in every format, a TLP:RED record full of "canaryred" beside a shareable one."""
    pairs = (("canaryred", "red"), ("controlok", "green"))
    drops = {
        ("aegis-labs", "canary-bundle.json"): _stix_bundle(),
        ("nordic-cert", "canary-events.json"): json.dumps(
            [{"Event": _misp_event(w, f"tlp:{t}", n)} for n, (w, t) in enumerate(pairs)]
        ).encode(),
        ("harbor-isp", "canary-iocs.csv"): b"value,type,first_seen,tlp\n"
        + "".join(
            f"{w}-csv.example,domain,2026-11-06T10:00:00Z,TLP:{t}\n" for w, t in pairs
        ).encode(),
        ("harbor-isp", "canary-iocs.jsonl"): "".join(
            json.dumps({"value": f"{w}-jsonl.example", "type": "domain", "tlp": t}) + "\n"
            for w, t in pairs
        ).encode(),
        ("harbor-isp", "canary-sightings.jsonl"): "".join(
            json.dumps(
                {
                    "indicator": f"{w}-sighting.example",
                    "type": "domain",
                    "count": 3,
                    "first_seen": "2026-11-06T10:00:00Z",
                    "sensor_country": "NL",
                    "tlp": t,
                }
            )
            + "\n"
            for w, t in pairs
        ).encode(),
        ("finsec-isac", "canary-incidents.csv"): (
            "incident_id,reported_on,victim_name,victim_sector,victim_country,actor,"
            "ransom_demanded,ransom_paid,currency,downtime_hours,tlp\n"
            + "".join(
                f"FS-{w},2026-11-05,{w} victim,Banking,FR,{w} incident actor,10,0,EUR,1,TLP:{t}\n"
                for w, t in pairs
            )
        ).encode(),
        ("sentinel-insure", "canary-claims.xlsx"): _claims_workbook(),
        ("darkwatch-intel", "canary-posts.csv"): (
            "post_title,group_name,discovered,description,website,published,post_url,country,tlp\n"
            + "".join(
                f"{w} post,{w}group,2026-11-05 10:00:00,{w} leak,{w}.example,2026-11-05 09:00:00,"
                f"http://{w}.example.onion/post/1,FR,{t}\n"
                for w, t in pairs
            )
        ).encode(),
    }
    for n, (word, tlp) in enumerate(pairs):
        report = {
            "operation": {
                "name": f"Operation {word}",
                "announced_on": "2026-11-05",
                "lead_agency": f"{word} agency",
                "target_actors": [f"{word} operation actor"],
                "participating_partners": ["lea-taskforce"],
                "tlp": tlp,
                "metrics": {"servers_seized": 1, "arrests": 1, "victims_notified": 1},
            }
        }
        drops[("lea-taskforce", f"canary-operation-{n}.json")] = json.dumps(report).encode()
    for (partner, name), content in drops.items():
        warehouse.drop(partner, DAY, name, content)


def table_texts(db_path: Path, schemas: tuple[str, ...] | None = None) -> dict[str, str]:
    """Every row of every table of the schemas (default: every schema), as text, by table."""
    texts = {}
    with duckdb.connect(str(db_path), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() "
            "and (? or list_contains(?, table_schema))",
            [schemas is None, list(schemas or [])],
        ).fetchall()
        for schema, table in tables:
            texts[f"{schema}.{table}"] = connection.execute(
                "select coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '') "
                f'from "{schema}"."{table}" t'
            ).fetchone()[0]
    return texts


def export_texts(export_dir: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(export_dir.iterdir()):
        if path.suffix == ".csv":
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".parquet":
            with duckdb.connect() as connection:
                texts[path.name] = connection.execute(
                    "select coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '') "
                    "from read_parquet(?) t",
                    [str(path)],
                ).fetchone()[0]
        elif path.suffix == ".duckdb":
            texts |= {f"{path.name}:{k}": v for k, v in table_texts(path, ("main",)).items()}
    return texts


@pytest.fixture(scope="module")
def sample_night(tmp_path_factory):
    root = tmp_path_factory.mktemp("governance")
    warehouse = Warehouse(
        root, root / "drops", root / "warehouse" / "ccw.duckdb", root / "warehouse" / "landing"
    )
    warehouse.copy_sample_drops()
    plant_red_canaries(warehouse)
    # a file name that would break a Markdown table if the report did not escape it
    warehouse.drop("harbor-isp", DAY, "iocs | week 45.csv", b"value,type\npipe.example,domain\n")
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config).success
    return warehouse


def test_canaries_stay_below_their_audiences(sample_night):
    published = sample_night.db_path
    marts = table_texts(published, ("marts",))
    public = table_texts(published, ("public",))
    exports = export_texts(published.parent / "public")

    everything = table_texts(published)  # every table of every schema of the analysts' file
    reports = {
        path.name: path.read_text(encoding="utf-8")
        for path in (published.parent / "reports").iterdir()
    }

    assert set(marts) | set(public) == set(everything)
    for name, text in {**everything, **exports, **reports}.items():
        for canary in [*RED_CANARIES, STRICT_CANARY]:  # AMBER+STRICT: its organization only
            assert canary not in text, (name, canary)
    with duckdb.connect(str(sample_night.build_db_path), read_only=True) as connection:
        for canary in [*RED_CANARIES, STRICT_CANARY]:
            landed = connection.execute(
                "select count(*) from raw.landed_records where record like ?", [f"%{canary}%"]
            ).fetchone()[0]
            assert landed >= 1, canary  # kept in the build file: nothing lost


def test_a_red_record_of_any_format_reaches_no_audience(sample_night):
    published = sample_night.db_path
    audiences = {
        **table_texts(published),  # every table of every schema of the analysts' file
        **export_texts(published.parent / "public"),
        **{p.name: p.read_text(encoding="utf-8") for p in (published.parent / "reports").iterdir()},
    }
    marts = "\n".join(table_texts(published, ("marts",)).values()).lower()
    with duckdb.connect(str(sample_night.build_db_path), read_only=True) as connection:
        landed = connection.execute(
            "select lower(string_agg(record, chr(10))) from raw.landed_records"
        ).fetchone()[0]

    assert [name for name, text in audiences.items() if "canaryred" in text.lower()] == []
    assert [f for f, token in TOKENS.items() if token.format("canaryred") not in landed] == []
    # the shareable record beside it reaches the marts: the test can fail
    assert [f for f, token in TOKENS.items() if token.format("controlok") not in marts] == []


def test_partner_report_holds_no_other_partners_values(sample_night):
    reports = sample_night.db_path.parent / "reports"
    with duckdb.connect(str(sample_night.build_db_path), read_only=True) as connection:
        others = connection.execute(
            "with per_partner as ("
            "  select value as v, partner_id from intermediate.int_indicators_normalized"
            "  union all select file_name, partner_id from raw.drop_files"
            "  union all select raw_value, partner_id from intermediate.quarantine"
            "  union all select file_sha256, partner_id from raw.drop_files) "
            "select v from per_partner where v is not null and length(v) > 6 "
            "group by v having not list_contains(list(partner_id), 'harbor-isp')"
        ).fetchall()
    report = (reports / "harbor-isp.md").read_text() + (
        reports / "harbor-isp-quarantine.csv"
    ).read_text()

    assert len(others) > 50
    leaked = [v for (v,) in others if v in report]
    assert leaked == []


BASE_ROWS = [
    "value,type,first_seen,tlp",
    "clear-one.example,domain,2026-11-01T10:00:00Z,clear",
    "198.51.100.9,ip,2026-11-01T11:00:00Z,TLP:CLEAR",
    "shared-secret.example,domain,2026-11-01T12:00:00Z,clear",
]
RED_VALUES = ["clear-one.example", "198.51.100.9", "red-only.example", "203.0.113.77"]
red_rows = st.lists(
    st.tuples(
        st.sampled_from(RED_VALUES),
        st.sampled_from(["2025-01-01T00:00:00Z", "2026-11-01T09:00:00Z", "2027-06-01T00:00:00Z"]),
        st.sampled_from(["red", "TLP:RED", "tlp:red"]),
    ),
    max_size=4,
)


def public_outputs(red: list[tuple[str, str, str]], root: Path) -> dict[str, str]:
    """Run a whole night on clear rows plus the given RED rows; return public tables and
    exports."""
    lines = BASE_ROWS[:1] + [f"{v},,{t},{m}" for v, t, m in red] + BASE_ROWS[1:]
    drops = root / "drops"
    folder = drops / "darkwatch-intel" / "2026-11-02"
    folder.mkdir(parents=True)
    (folder / "iocs.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_path = root / "warehouse" / "ccw.duckdb"
    config = WarehouseConfig(drops_dir=str(drops), db_path=str(db_path))
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=config).success
    return {**table_texts(db_path, ("public",)), **export_texts(db_path.parent / "public")}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return public_outputs(
        [("red-only.example", "2026-11-01T09:00:00Z", "red")], tmp_path_factory.mktemp("baseline")
    )


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(red=red_rows)
def test_red_records_cannot_change_anything_public(baseline, tmp_path_factory, red):
    outputs = public_outputs(red, tmp_path_factory.mktemp("variant"))

    assert outputs == baseline
    assert "clear-one.example" in outputs["public.public_indicators"]


def _markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table of a Markdown text, as rows of cells (header and rule rows left out)."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            cells = [cell.strip().replace("\\|", "|") for cell in line.strip("|").split(" | ")]
            current.append(cells)
        else:
            current = None
    return [table[2:] for table in tables]


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def test_every_figure_of_a_report_is_its_mart_row(sample_night):
    reports = sample_night.db_path.parent / "reports"
    with duckdb.connect(str(sample_night.db_path), read_only=True) as connection:
        partners = [
            p
            for (p,) in connection.execute(
                "select partner_id from marts.mart_partner_scorecard group by 1"
            ).fetchall()
        ]
        for partner in partners:
            text = (reports / f"{partner}.md").read_text(encoding="utf-8")
            months, *_ = _markdown_tables(text)
            scorecard = connection.execute(
                "select month, files_received, files_rejected, records_received, "
                "records_accepted, records_quarantined, unique_indicators, "
                "first_reported_indicators, corroborated_indicators "
                "from marts.mart_partner_scorecard where partner_id = ? order by month",
                [partner],
            ).fetchall()
            assert months == [[str(v) for v in row] for row in scorecard], partner
            files = connection.execute(
                "select delivered_on, file_name, file_status, records_received, "
                "records_accepted, records_context, records_withdrawn, records_superseded, "
                "records_quarantined from marts.mart_drop_files where partner_id = ? "
                "order by delivered_on, file_name",
                [partner],
            ).fetchall()
            file_rows = _markdown_tables(text.split("### Files")[1])[0]
            assert [row[:9] for row in file_rows] == [[_cell(v) for v in r] for r in files]
            reasons = dict(
                connection.execute(
                    "select reason_code, sum(record_count) from marts.mart_quarantine_reasons "
                    "where partner_id = ? group by reason_code",
                    [partner],
                ).fetchall()
            )
            listed = text.split("## Top quarantine reasons")[1].split("##")[0]
            for code, records, _examples in _markdown_tables(listed)[0] if reasons else []:
                assert int(records) == reasons[code], (partner, code)
            (first,) = connection.execute(
                "select count(distinct indicator_key) from marts.mart_indicator_reports "
                "where partner_id = ? and is_first_report",
                [partner],
            ).fetchone()
            assert f"Indicators you reported before any other partner: {first} " in text
            listed = text.split("## What you reported first")[1].split("##")[0]
            for row in _markdown_tables(listed)[0] if first else []:
                (is_first,) = connection.execute(
                    "select bool_or(is_first_report) from marts.mart_indicator_reports "
                    "where partner_id = ? and value = ?",
                    [partner, row[0]],
                ).fetchone()
                assert is_first, (partner, row[0])
    assert len(partners) == 7  # every registered partner delivered
