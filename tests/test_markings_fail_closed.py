"""TLP fails closed, as a property over formats x marking spellings x partner defaults: a value
marked RED or AMBER+STRICT, however it is spelled, or carrying a marking that is no TLP level,
never reaches the marts, the public schema, the exports or another partner's report; it stays
in landing.
Values with a shareable marking, drawn beside them, do reach the marts (the test can fail)."""

from __future__ import annotations

import json
import uuid

import duckdb
from dagster import DagsterInstance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import isolated_warehouse
from tests.test_governance import export_texts, table_texts

DAY = "2026-11-02"
# partners whose default TLP is clear, green and amber (two of them)
PARTNERS = ["darkwatch-intel", "nordic-cert", "aegis-labs", "sentinel-insure"]
RED_IDS = [
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",  # TLP 1.0 RED
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",  # TLP 2.0 RED
]
GREEN_ID = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"


def _cases_of(text: str) -> st.SearchStrategy[str]:
    """`text` in any letter case."""
    return st.tuples(*(st.sampled_from(sorted({c.lower(), c.upper()})) for c in text)).map("".join)


padding = st.sampled_from(["", " ", "  ", "\t"])
red_word = st.builds(
    lambda before, prefix, red, after: f"{before}{prefix}{red}{after}",
    padding,
    st.sampled_from(["", "tlp:", "tlp: ", "tlp-", "tlp "]).flatmap(_cases_of),
    _cases_of("red"),
    padding,
)
unknown_word = st.sampled_from(
    ["TLP:PURPLE", "secret", "TLP:AMBERR", "tlp:ex:chr", "Confidential", "NATO RESTRICTED", "?"]
)
strict_word = st.sampled_from(["TLP:AMBER+STRICT", "amber+strict", "tlp:amber+strict "])
restricted_word = st.one_of(red_word, unknown_word, strict_word)
misp_tag = st.one_of(
    _cases_of("tlp:red"),
    st.sampled_from(["tlp:purple", "tlp:ex:chr", "TLP:unknown", "tlp:amber+strict"]),
)
stix_marking = st.one_of(
    st.tuples(st.just("ref"), st.sampled_from(RED_IDS).flatmap(_cases_of)),
    st.tuples(st.just("granular"), st.sampled_from(RED_IDS)),
    st.tuples(st.just("statement"), red_word),
    st.tuples(st.just("unresolved"), st.just(f"marking-definition--{uuid.UUID(int=7)}")),
)
case = st.one_of(
    st.tuples(
        st.just("csv"), st.sampled_from(["tlp", "marking", "classification"]), restricted_word
    ),
    st.tuples(st.just("jsonl"), st.sampled_from(["tlp", "marking"]), restricted_word),
    st.tuples(st.just("misp"), st.sampled_from(["event", "attribute"]), misp_tag),
    stix_marking.map(lambda mode_and_marking: ("stix", *mode_and_marking)),
)
cases = st.lists(st.tuples(case, st.sampled_from(PARTNERS)), min_size=24, max_size=24)


def _indicator(value: str, n: int, **markings) -> dict:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n)}",
        "created": "2026-11-01T10:00:00.000Z",
        "modified": "2026-11-01T10:00:00.000Z",
        "valid_from": "2026-11-01T10:00:00Z",
        "pattern_type": "stix",
        "pattern": f"[domain-name:value = '{value}']",
        **markings,
    }


def _stix(value: str, n: int, mode: str, marking: str) -> bytes:
    objects = []
    if mode == "ref" or mode == "unresolved":
        objects.append(_indicator(value, n, object_marking_refs=[marking]))
    elif mode == "granular":
        selectors = {"marking_ref": marking, "selectors": ["pattern"]}
        objects.append(_indicator(value, n, granular_markings=[selectors]))
    else:  # a statement marking that names a TLP level
        statement_id = f"marking-definition--{uuid.UUID(int=10_000 + n)}"
        objects.append(
            {
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": statement_id,
                "created": "2026-11-01T00:00:00.000Z",
                "definition_type": "statement",
                "definition": {"statement": marking},
            }
        )
        objects.append(_indicator(value, n, object_marking_refs=[statement_id]))
    bundle = {"type": "bundle", "id": f"bundle--{uuid.UUID(int=20_000 + n)}", "objects": objects}
    return json.dumps(bundle).encode()


def _misp(value: str, n: int, place: str, tag: str) -> bytes:
    attribute = {"type": "domain", "category": "Network activity", "value": value}
    event = {"uuid": str(uuid.UUID(int=30_000 + n)), "info": f"case {n}", "date": "2026-11-01"}
    if place == "attribute":
        attribute["Tag"] = [{"name": tag}]
    else:
        event["Tag"] = [{"name": tag}]
    return json.dumps({"Event": {**event, "Attribute": [attribute]}}).encode()


def _file(fmt: str, place: str, marking: str, value: str, n: int) -> tuple[str, bytes]:
    if fmt == "csv":
        quoted = '"' + marking.replace('"', '""') + '"'
        return (
            "iocs.csv",
            f"value,type,first_seen,{place}\n{value},domain,2026-11-01,{quoted}\n".encode(),
        )
    if fmt == "jsonl":
        line = {"value": value, "type": "domain", "first_seen": "2026-11-01", place: marking}
        return "iocs.jsonl", (json.dumps(line) + "\n").encode()
    if fmt == "misp":
        return "event.json", _misp(value, n, place, marking)
    return "bundle.json", _stix(value, n, place, marking)


CONTROLS = [  # shareable markings in each format, from the partner whose default is CLEAR
    ("csv", "tlp", "TLP:GREEN"),
    ("jsonl", "marking", "green"),
    ("misp", "event", "tlp:green"),
    ("stix", "ref", GREEN_ID),
]


def _night(drawn, root) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """One night over the drawn cases and the controls; returns where each value was found."""
    restricted, controls = {}, []
    warehouse = isolated_warehouse(root)
    for n, ((fmt, place, marking), partner) in enumerate(drawn):
        value = f"restricted-{n}-{fmt}.example"
        name, content = _file(fmt, place, marking, value, n)
        warehouse.drop(partner, DAY, f"case-{n}-{name}", content)
        restricted[value] = partner
    for n, (fmt, place, marking) in enumerate(CONTROLS, start=len(drawn)):
        value = f"shared-{n}-{fmt}.example"
        name, content = _file(fmt, place, marking, value, n)
        warehouse.drop("darkwatch-intel", DAY, f"control-{n}-{name}", content)
        controls.append(value)
    result = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    shared = {
        **table_texts(warehouse.db_path, ("marts", "public")),
        **export_texts(warehouse.db_path.parent / "public"),
    }
    reports = {
        path.name: path.read_text(encoding="utf-8")
        for path in (warehouse.db_path.parent / "reports").iterdir()
    }
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        landed = connection.execute(
            "select string_agg(record, chr(10)) from raw.landed_records"
        ).fetchone()[0]
    return restricted, {"shared": shared, "reports": reports, "landed": landed}, controls


@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=cases)
def test_restricted_or_unknown_markings_are_never_shared(tmp_path_factory, drawn):
    restricted, found, controls = _night(drawn, tmp_path_factory.mktemp("markings"))

    for value, partner in restricted.items():
        assert value in found["landed"], value  # kept: nothing lost
        for name, text in found["shared"].items():
            assert value not in text, (value, name, drawn)
        for name, text in found["reports"].items():
            if not name.startswith(partner):
                assert value not in text, (value, name, drawn)
    marts = found["shared"]["marts.mart_indicators"]
    assert [value for value in controls if value not in marts] == []
