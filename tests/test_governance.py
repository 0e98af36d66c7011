"""Markings are enforced by the system: canaries planted in the sample drops never reach the
audiences above their ceiling, partners' reports hold their own data only, and RED records
cannot change anything public."""

from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.run_nightly import run_nightly
from tests.conftest import Warehouse

RED_CANARIES = ["canary-red-nordic.example.org", "canary-red-event-nordic.example.org"]
STRICT_CANARY = "canary-strict-finsec.example.org"


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
    monkeypatch = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("governance")
    warehouse = Warehouse(
        root, root / "drops", root / "warehouse" / "ccw.duckdb", root / "warehouse" / "landing"
    )
    warehouse.copy_sample_drops()
    for name, value in (
        ("CCW_DROPS_DIR", warehouse.drops_dir),
        ("CCW_DB_PATH", warehouse.db_path),
        ("CCW_LANDING_DIR", warehouse.landing_dir),
        ("CCW_BUILD_DB_PATH", warehouse.build_db_path),
    ):
        monkeypatch.setenv(name, str(value))
    assert run_nightly(DagsterInstance.ephemeral()).success
    yield warehouse
    monkeypatch.undo()


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
        for canary in RED_CANARIES:
            assert canary not in text, (name, canary)
    for name, text in {**public, **exports}.items():
        assert STRICT_CANARY not in text, name
    assert any(STRICT_CANARY in text for text in marts.values())  # members may see it
    with duckdb.connect(str(sample_night.build_db_path), read_only=True) as connection:
        for canary in [*RED_CANARIES, STRICT_CANARY]:
            landed = connection.execute(
                "select count(*) from raw.landed_records where record like ?", [f"%{canary}%"]
            ).fetchone()[0]
            assert landed >= 1, canary  # kept in the build file: nothing lost


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
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CCW_DROPS_DIR", str(drops))
        monkeypatch.setenv("CCW_DB_PATH", str(db_path))
        monkeypatch.setenv("CCW_LANDING_DIR", str(root / "warehouse" / "landing"))
        monkeypatch.setenv("CCW_BUILD_DB_PATH", str(root / "warehouse" / "build" / "ccw.duckdb"))
        assert run_nightly(DagsterInstance.ephemeral()).success
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
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            current.append(cells)
        else:
            current = None
    return [table[2:] for table in tables]


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
    assert len(partners) >= 6
