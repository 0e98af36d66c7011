"""Files that used to stop the night for every partner, delivered beside another partner's
ordinary file: the night publishes the ordinary file, and each bad one is loaded with its bad
values quarantined, or rejected with a reason; the next night, without them, publishes too."""

from __future__ import annotations

import io
import json
import os
import shutil

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance

from orchestration.defs.run_nightly import run_nightly
from tests.conftest import isolated_warehouse

DAY = "2026-11-02"
ORDINARY = b"value,type,first_seen\nordinary-partner.example,domain,2026-11-01T10:00:00Z\n"
INCIDENTS = (
    "incident_id,reported_on,victim_name,victim_sector,victim_country,actor,ransom_demanded,"
    "ransom_paid,currency,downtime_hours,tlp\n"
    "X-1,2026-10-14,Acme Logistics SA,Banking,FR,LockBit,NaN,1e20,EUR,NaN,TLP:AMBER\n"
    "X-2,2026-10-15,Beta Freight SA,Banking,FR,LockBit,Infinity,-0,EUR,12,TLP:AMBER\n"
)


def _operation(name: str, funds: object) -> bytes:
    return json.dumps(
        {
            "operation": {
                "name": name,
                "announced_on": "2026-11-01",
                "target_actors": ["LockBit"],
                "tlp": "amber",
                "metrics": {"arrests": 1, "funds_frozen_usd": funds},
            }
        }
    ).encode()


def _workbook() -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame(
            {"Indicator": ["workbook-ioc.example"], "Type": ["Domain"], "First Seen": [45287.75]}
        ).to_excel(writer, sheet_name="iocs", index=False)
    return buffer.getvalue()


# found by trying hostile files: each made a model or a gate fail
NAMELESS_CAMPAIGN = b'{"type":"bundle","objects":[{"type":"campaign"}]}'
ACTOR_WITHOUT_ID = b'{"type":"bundle","objects":[{"type":"intrusion-set","name":"Zork"}]}'
MISP_FAR_FUTURE_DATE = (
    b'{"Event":{"date":"300000-1-1","Attribute":[{"type":"domain","value":"future.example"}]}}'
)
OPERATION_FAR_FUTURE = (
    b'{"operation":{"name":"Op Far","announced_on":"300000-1-1","target_actors":["LockBit"]}}'
)

OLD_INCIDENT = (
    b"incident_id,reported_on,victim_name,actor,tlp\n"
    b"OLD-1,1850-01-01,Gamma Shipping SA,LockBit,TLP:AMBER\n"
)
FUTURE_SIGHTING = (
    b'{"indicator":"198.51.100.88","type":"ip","first_seen":"2099-01-01T00:00:00Z",'
    b'"count":3,"sensor_country":"NL"}\n'
)

MISP_SHARED_UUID = {
    "response": [
        {"Event": {"uuid": "same", "Attribute": [{"type": "domain", "value": "first.example"}]}},
        {"Event": {"uuid": "same", "Attribute": [{"type": "domain", "value": "second.example"}]}},
    ]
}


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("one-file"))
    warehouse.drop("finsec-isac", DAY, "ordinary.csv", ORDINARY)
    bad = [
        warehouse.drop("finsec-isac", DAY, "incidents.csv", INCIDENTS.encode()),
        warehouse.drop("lea-taskforce", DAY, "huge-funds.json", _operation("Op Huge", 1e308)),
        warehouse.drop("lea-taskforce", DAY, "no-name.json", _operation("***", 10)),
        warehouse.drop(
            "nordic-cert", DAY, "shared-uuid.json", json.dumps(MISP_SHARED_UUID).encode()
        ),
        warehouse.drop("harbor-isp", DAY, "iocs.xlsx", _workbook()),
        warehouse.drop("nordic-cert", DAY, "nameless-campaign.json", NAMELESS_CAMPAIGN),
        warehouse.drop("aegis-labs", DAY, "actor-without-id.json", ACTOR_WITHOUT_ID),
        warehouse.drop("nordic-cert", DAY, "far-future-event.json", MISP_FAR_FUTURE_DATE),
        warehouse.drop("lea-taskforce", DAY, "far-future-op.json", OPERATION_FAR_FUTURE),
        warehouse.drop("finsec-isac", DAY, "old-incident.csv", OLD_INCIDENT),
        warehouse.drop("harbor-isp", DAY, "future-sighting.jsonl", FUTURE_SIGHTING),
        warehouse.drop(
            "harbor-isp",
            DAY,
            "sightings.csv",
            b"indicator,type,count\n198.51.100.77,ipv4-addr,4\n",
        ),
    ]
    folder = os.fsencode(warehouse.drops_dir / "harbor-isp" / DAY)
    undecodable = os.path.join(folder, b"feed-\xff\xfe.csv")
    with open(undecodable, "wb") as handle:
        handle.write(ORDINARY)
    first = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    first_marts = _marts(warehouse)
    for path in bad:
        path.unlink()
    os.unlink(undecodable)
    shutil.rmtree(warehouse.db_path.parent / "reports", ignore_errors=True)
    second = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    yield warehouse, first, first_marts, second


def _marts(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        return {
            "indicators": connection.execute(
                "select value from marts.mart_indicators order by value"
            ).fetchall(),
            "files": connection.execute(
                "select file_name, file_status, error_message, records_received, "
                "records_accepted, records_quarantined from marts.mart_drop_files"
            ).fetchall(),
            "impact": connection.execute(
                "select incident_count, ransom_demanded_usd, ransom_paid_usd, downtime_hours "
                "from marts.mart_impact_monthly"
            ).fetchall(),
            "operations": connection.execute(
                "select operation_name, funds_frozen_usd from marts.mart_operation_impact"
            ).fetchall(),
        }


def _files(marts) -> dict[str, tuple]:
    return {name.rsplit("/", 1)[-1]: rest for name, *rest in marts["files"]}


def test_both_nights_publish(nights):
    _, first, _, second = nights

    assert first.success, [e.message for e in first.all_events if e.is_failure]
    assert second.success, [e.message for e in second.all_events if e.is_failure]


def test_the_ordinary_file_and_the_usable_records_are_published(nights):
    _, _, marts, _ = nights
    values = {value for (value,) in marts["indicators"]}

    assert {"ordinary-partner.example", "first.example", "second.example"} <= values
    assert "workbook-ioc.example" in values  # IOCs delivered as a workbook
    files = _files(marts)
    assert files["sightings.csv"][:4] == ["loaded", None, 1, 1]  # sightings delivered as CSV


def test_values_no_money_can_be_cost_their_field_not_the_night(nights):
    warehouse, _, marts, _ = nights

    assert _files(marts)["incidents.csv"][2:] == [2, 2, 0]
    assert marts["impact"] == [(2, None, 0, 12.0)]
    assert ("Op Huge", None) in marts["operations"]
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        problems = connection.execute(
            "select field_name, raw_value from intermediate.quarantine "
            "where source_format = 'incident_report' and field_name <> 'time' order by all"
        ).fetchall()
    assert problems == [
        ("downtime", "NaN"),
        ("ransom_demanded", "Infinity"),
        ("ransom_demanded", "NaN"),
        ("ransom_paid", "1e20"),
    ]


def test_an_operation_without_a_usable_name_is_quarantined(nights):
    _, _, marts, _ = nights

    assert _files(marts)["no-name.json"][2:] == [1, 0, 1]


def test_a_file_name_that_is_not_utf8_is_rejected_by_name(nights):
    _, _, marts, _ = nights

    (name,) = [n for n in _files(marts) if n.startswith("feed-")]
    status, error = _files(marts)[name][:2]
    assert name == "feed-\\xff\\xfe.csv"
    assert status == "rejected" and "not valid UTF-8" in error


def test_a_campaign_without_a_name_is_quarantined_and_an_actor_without_an_id_kept(nights):
    _, _, marts, _ = nights
    files = _files(marts)

    assert files["nameless-campaign.json"][2:] == [1, 0, 1]
    assert files["actor-without-id.json"][2:] == [1, 1, 0]


def test_dates_past_any_calendar_cost_their_field(nights):
    warehouse, _, marts, _ = nights
    files = _files(marts)

    assert "future.example" in {value for (value,) in marts["indicators"]}
    assert files["far-future-event.json"][:2] == ["loaded", None]
    assert files["far-future-op.json"][2:] == [1, 1, 0]
    assert ("Op Far", None) in marts["operations"]
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        problems = connection.execute(
            "select source_format, field_name, reason_code, raw_value "
            "from intermediate.quarantine where raw_value = '300000-1-1' order by all"
        ).fetchall()
    assert problems == [
        ("misp", "date", "implausible_time", "300000-1-1"),
        ("operation_report", "announced_on", "implausible_time", "300000-1-1"),
    ]


def test_incident_and_sighting_times_outside_1990_to_delivery_cost_their_field(nights):
    warehouse, _, marts, _ = nights
    files = _files(marts)

    assert files["old-incident.csv"][2:] == [1, 1, 0]
    assert files["future-sighting.jsonl"][2:] == [1, 1, 0]
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        problems = connection.execute(
            "select source_format, field_name, reason_code, raw_value "
            "from intermediate.quarantine where reason_code = 'implausible_time' "
            "and source_format in ('incident_report', 'sighting') order by all"
        ).fetchall()
        kept = connection.execute(
            "select (select occurred_at from intermediate.int_incidents_normalized "
            "where source_reference = 'OLD-1'), (select first_seen_at "
            "from intermediate.int_sightings_normalized where value = '198.51.100.88')"
        ).fetchone()
    assert problems == [
        ("incident_report", "time", "implausible_time", "1850-01-01"),
        ("sighting", "first_seen", "implausible_time", "2099-01-01T00:00:00Z"),
    ]
    assert kept == (None, None)
