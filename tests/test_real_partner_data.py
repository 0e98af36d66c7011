"""Every real public file in ../shared/real-data delivered by the partners who would send it, in
one night: the night publishes, every record ends with exactly one outcome, and the counts
agree with what the files themselves hold (counted here from the files, not from the
warehouse)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from orchestration.settings import REFERENCE_SEEDS_DIR
from tests.conftest import (
    REAL_DATA,
    Warehouse,
    canonical_values_checked_and_changed,
    isolated_warehouse,
)

DAY = "2026-11-02"
DELIVERIES = {
    "aegis-labs": [
        *sorted((REAL_DATA / "stix21-examples").glob("*.json")),
        REAL_DATA / "attack-ics-18.1.json",
        REAL_DATA / "stix21_poisonivy_bundle.json",
    ],
    "nordic-cert": [
        *sorted((REAL_DATA / "pymisp-events").glob("*.json")),
        REAL_DATA / "misp_event_circl_asert_2016.json",
        REAL_DATA / "misp_tests_event_regin.json",
    ],
    "harbor-isp": [
        REAL_DATA / "urlhaus_2024.csv",
        REAL_DATA / "feodotracker_ipblocklist_2024-04-04.csv",
    ],
}
# commit metadata that PyMISP's git-vuln-finder module turns into objects: not an export
NOT_AN_EXPORT = {"git-vuln-finder-quagga.json"}
STIX_ENTITY_TYPES = {"indicator", "intrusion-set", "threat-actor", "campaign"}


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("real"))
    for partner_id, files in DELIVERIES.items():
        for path in files:
            warehouse.drop(partner_id, DAY, path.name, path.read_bytes())
    result = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    yield warehouse, result


def published(warehouse: Warehouse, sql: str, *parameters) -> list[tuple]:
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def outcomes_by_file(warehouse: Warehouse) -> dict[str, tuple]:
    rows = published(
        warehouse,
        "select file_name, file_status, records_received, records_accepted, records_context, "
        "records_withdrawn, records_quarantined, records_superseded from marts.mart_drop_files",
    )
    return {row[0].rsplit("/", 1)[-1]: row[1:] for row in rows}


def record_outcomes(warehouse: Warehouse, source_format: str) -> dict[tuple[str, str], str]:
    """The outcome of every record of the format, by file name and locator."""
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return {
            (file_name.rsplit("/", 1)[-1], locator): outcome
            for file_name, locator, outcome in connection.execute(
                "select d.file_name, o.record_locator, o.outcome "
                "from intermediate.int_record_outcomes as o "
                "join raw.drop_files as d using (file_sha256) where o.source_format = ?",
                [source_format],
            ).fetchall()
        }


def stix_objects(path: Path) -> list[dict]:
    document = json.loads(path.read_bytes())
    return document["objects"] if document.get("type") == "bundle" else [document]


def misp_events(path: Path) -> list[tuple[str, dict | None]]:
    document = json.loads(path.read_bytes())
    if "response" in document:
        return [
            (f"$.response[{i}].Event", item["Event"])
            if "Event" in item
            else (f"$.response[{i}]", item)
            for i, item in enumerate(document["response"])
        ]
    if "Event" in document:
        return [("$.Event", document["Event"])]
    return [("$", document)]


def misp_attributes(path: Path) -> list[tuple[str, dict]]:
    """(locator, attribute) of every attribute, at event level and in objects."""
    found = []
    for event_path, event in misp_events(path):
        for index, attribute in enumerate(event.get("Attribute") or []):
            found.append((f"{event_path}.Attribute[{index}]", attribute))
        for o, obj in enumerate(event.get("Object") or []):
            for index, attribute in enumerate(obj.get("Attribute") or []):
                found.append((f"{event_path}.Object[{o}].Attribute[{index}]", attribute))
    return found


def misp_record_count(path: Path) -> int:
    events = misp_events(path)
    objects = sum(len(event.get("Object") or []) for _, event in events)
    return len(events) + objects + len(misp_attributes(path))


def csv_data_rows(path: Path) -> list[dict]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def records_in(path: Path) -> int:
    if path.suffix == ".csv":
        return len(csv_data_rows(path))
    if path.parent.name == "pymisp-events" or path.name.startswith("misp_"):
        return misp_record_count(path)
    return len(stix_objects(path))


def test_the_night_publishes_with_every_real_file(night):
    warehouse, result = night

    assert result.success, [e.message for e in result.all_events if e.is_failure]
    statuses = {name: row[0] for name, row in outcomes_by_file(warehouse).items()}
    delivered = {path.name for files in DELIVERIES.values() for path in files}
    assert set(statuses) == delivered
    assert {name for name, status in statuses.items() if status != "loaded"} == NOT_AN_EXPORT


def test_every_record_of_every_file_has_exactly_one_outcome(night):
    warehouse, _ = night
    outcomes = outcomes_by_file(warehouse)

    for files in DELIVERIES.values():
        for path in files:
            if path.name in NOT_AN_EXPORT:
                continue
            status, received, accepted, context, withdrawn, quarantined, superseded = outcomes[
                path.name
            ]
            assert received == records_in(path), path.name
            assert accepted + context + withdrawn + quarantined + superseded == received, path.name


def test_stix_objects_end_as_their_type_says(night):
    warehouse, _ = night
    outcome_of = record_outcomes(warehouse, "stix21")
    placed = {}  # STIX id -> outcomes of each of its copies across the partner's files
    for path in DELIVERIES["aegis-labs"]:
        is_bundle = json.loads(path.read_bytes()).get("type") == "bundle"
        for index, obj in enumerate(stix_objects(path)):
            locator = f"$.objects[{index}]" if is_bundle else "$"  # a lone object is the file
            outcome = outcome_of[(path.name, locator)]
            placed.setdefault(obj["id"], []).append(outcome)
            if obj.get("revoked"):
                assert outcome == "withdrawn", (path.name, locator)
            elif outcome == "superseded":
                continue  # another copy of the same id counts instead (checked below)
            elif obj["type"] in STIX_ENTITY_TYPES:
                assert outcome in ("accepted", "quarantined"), (path.name, locator)
            else:
                assert outcome == "context", (path.name, locator, obj["type"])
    for stix_id, outcomes in placed.items():
        live = [outcome for outcome in outcomes if outcome != "superseded"]
        assert len(live) == 1, stix_id  # superseded only by a copy, and one copy counts
    assert sum(len(outcomes) > 1 for outcomes in placed.values()) > 0
    # ATT&CK for ICS: no indicators; every live intrusion set and campaign is accepted
    attack = stix_objects(REAL_DATA / "attack-ics-18.1.json")
    entities = Counter(o["type"] for o in attack if not o.get("revoked"))
    assert outcomes_by_file(warehouse)["attack-ics-18.1.json"][2] == (
        entities["intrusion-set"] + entities["campaign"]
    )


def test_misp_context_and_indicator_attributes(night):
    warehouse, _ = night
    with (REFERENCE_SEEDS_DIR / "context_types.csv").open() as handle:
        context_types = {row["source_type"] for row in csv.DictReader(handle)}
    outcome_of = record_outcomes(warehouse, "misp")
    copies = Counter(
        attribute["uuid"]
        for path in DELIVERIES["nordic-cert"]
        if path.name not in NOT_AN_EXPORT
        for _, attribute in misp_attributes(path)
        if attribute.get("uuid")
    )

    checked = Counter()
    for path in DELIVERIES["nordic-cert"]:
        if path.name in NOT_AN_EXPORT:
            continue
        for locator, attribute in misp_attributes(path):
            outcome = outcome_of[(path.name, locator)]
            if outcome == "superseded":  # the partner's other copy of the attribute counts
                assert copies[attribute.get("uuid")] > 1, (path.name, locator)
            elif attribute.get("deleted") is True:
                assert outcome == "withdrawn"
            elif attribute["type"].lower() in context_types:
                assert outcome == "context", (path.name, locator, attribute["type"])
                checked["context"] += 1
            else:
                assert outcome in ("accepted", "quarantined"), (path.name, locator)
                checked[outcome] += 1
    assert checked["context"] > 100 and checked["accepted"] > 300


def test_feodo_times_are_utc_because_the_header_says_so(night):
    warehouse, _ = night
    rows = {
        row["dst_ip"]: row["first_seen_utc"]
        for row in csv_data_rows(REAL_DATA / "feodotracker_ipblocklist_2024-04-04.csv")
    }

    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        seen = dict(
            connection.execute(
                "select value, min(first_seen_at) from intermediate.int_indicators_normalized "
                "where partner_id = 'harbor-isp' and indicator_type = 'ipv4-addr' group by all"
            ).fetchall()
        )

    for ip, first_seen in rows.items():
        expected = datetime.strptime(first_seen, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        assert seen[ip] == expected, ip  # harbor-isp's own zone is Europe/Amsterdam


def test_urlhaus_urls_are_indicators(night):
    warehouse, _ = night
    urls = {row["url"] for row in csv_data_rows(REAL_DATA / "urlhaus_2024.csv")}

    in_mart = {
        value
        for (value,) in published(
            warehouse, "select value from marts.mart_indicators where indicator_type = 'url'"
        )
    }

    assert outcomes_by_file(warehouse)["urlhaus_2024.csv"][5] == 0  # nothing quarantined
    already_canonical = {url for url in urls if url == url.strip() and url.startswith("http")}
    assert len(already_canonical & in_mart) >= 0.95 * len(already_canonical)


def test_every_live_attack_group_is_one_actor_and_revoked_ones_are_none(night):
    warehouse, _ = night
    objects = stix_objects(REAL_DATA / "attack-ics-18.1.json")
    live = [o for o in objects if o["type"] == "intrusion-set" and not o.get("revoked")]
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        actor_of = dict(
            connection.execute(
                "select o.stix_id, a.actor_key from intermediate.int_stix_actor_objects_resolved a "
                "join staging.stg_stix__objects o using (stix_id)"
            ).fetchall()
        )
    spellings = {
        alias
        for (aliases,) in published(warehouse, "select aliases from marts.mart_actors")
        for alias in aliases
    }

    assert {o["id"] for o in live} <= set(actor_of)  # each live group has its actor
    assert not {o["id"] for o in objects if o.get("revoked")} & set(actor_of)  # withdrawn
    assert {o["name"] for o in live} <= spellings


def test_values_already_in_canonical_form_are_left_unchanged(night):
    warehouse, _ = night
    checked, changed = canonical_values_checked_and_changed(warehouse.build_db_path)

    assert checked > 10_000
    assert changed == 0
