"""The build file persists between nights: files already normalized are not normalized again,
unless the rules (reference seeds or dbt code) change."""

import contextlib
import hashlib
import json
import os
import shutil
import signal
import threading
import time
import uuid
from pathlib import Path

import duckdb
from dagster import AssetKey, DagsterEventType, DagsterInstance, materialize

from orchestration.defs.assets_dbt import (
    FINGERPRINT_TABLE,
    dbt_log_path,
    dbt_project,
    dbt_target_path,
    warehouse_dbt_assets,
)
from orchestration.defs.assets_ingest import (
    DROP_FILES,
    FORMAT_RECORDS,
    LANDED_RECORDS,
    partner_drops,
)
from orchestration.defs.definitions import defs
from orchestration.defs.jobs import date_range_tags
from orchestration.defs.night_summary import summary_lines
from orchestration.defs.run_nightly import run_nightly
from tests.conftest import SAMPLE_DROPS, isolated_warehouse

FIRST = b"value,type,tlp\nfirst-night.example,domain,green\n"
SECOND = b"value,type,tlp\nsecond-night.example,domain,green\n"


def normalized_at(warehouse) -> dict[str, object]:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return dict(
            connection.execute(
                "select canonical_value, normalized_at "
                "from intermediate.int_indicator_observations_typed"
            ).fetchall()
        )


def test_only_new_files_are_normalized_until_the_rules_change(warehouse):
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success
    first = normalized_at(warehouse)

    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", SECOND)
    assert run_nightly(instance, warehouse=warehouse.config).success
    second = normalized_at(warehouse)

    assert second["first-night.example"] == first["first-night.example"]  # not redone
    assert second["second-night.example"] > first["first-night.example"]

    with duckdb.connect(str(warehouse.build_db_path)) as connection:
        connection.execute(f"update {FINGERPRINT_TABLE} set fingerprint = 'older rules'")
    assert run_nightly(instance, warehouse=warehouse.config).success
    third = normalized_at(warehouse)

    assert third.keys() == second.keys()
    assert all(third[value] > second["second-night.example"] for value in third)


def _gates_on_models() -> tuple[set[str], set[str], set[str]]:
    """The project's data tests that read a model built every night, those of them that also
    read a seed, and those that read only what the reference seeds make (the seeds and the
    models tagged `reference`)."""
    nodes = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))["nodes"]
    reference = {
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "seed" or "reference" in node.get("tags", [])
    }
    tests = [node for node in nodes.values() if node["resource_type"] == "test"]
    nightly = {
        test["name"]: {parent.split(".")[0] for parent in test["depends_on"]["nodes"]}
        for test in tests
        if any(
            parent.startswith("model.") and parent not in reference
            for parent in test["depends_on"]["nodes"]
        )
    }
    reference_alone = {
        test["name"]
        for test in tests
        if test["depends_on"]["nodes"] and set(test["depends_on"]["nodes"]) <= reference
    }
    with_a_seed = {name for name, kinds in nightly.items() if "seed" in kinds}
    return set(nightly), with_a_seed, reference_alone


def test_a_night_whose_rules_did_not_change_runs_every_gate_on_a_model(warehouse):
    """Such a night leaves the reference seeds, the models made of them alone, and the gates
    on those alone, as the last whole build made and passed them; every gate that reads a
    model built every night runs, those that compare it with a seed too (a reason code, a TLP
    level, a sector or a country that must exist)."""
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success
    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", SECOND)
    second = run_nightly(instance, warehouse=warehouse.config)
    assert second.success

    evaluated = {
        entry.dagster_event.event_specific_data.check_name
        for entry in instance.all_logs(
            second.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
        )
    }
    nightly, with_a_seed, reference_alone = _gates_on_models()
    assert len(with_a_seed) >= 6
    assert nightly - evaluated == set()
    # the unique type keys and country spellings, among others
    assert len(reference_alone) >= 4
    assert evaluated & reference_alone == set()


def _gate_runs(instance: DagsterInstance, run_id: str) -> dict[str, str]:
    """Each gate a run reported, with the run that evaluated it (the run itself, unless the
    report says otherwise)."""
    reported = {}
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.event_specific_data
        evaluated_in = evaluation.metadata.get("evaluated in run")
        reported[evaluation.check_name] = evaluated_in.value if evaluated_in else run_id
    return reported


def test_a_night_that_brings_nothing_builds_nothing_and_publishes_the_last_build(warehouse):
    """A night with no new file under unchanged rules keeps the build file as the last night
    built and gated it: dbt runs no model and no gate, every gate is reported as that night
    ended it, and the analysts' file is published again from it, the same. Where the run
    history knows no evaluation of the gates (a new Dagster instance), the night builds. A
    file that only the registry shows (rejected at landing) is something new: that night
    builds, and the marts report the file."""
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    first = run_nightly(instance, warehouse=warehouse.config)
    assert first.success
    gates = _gate_runs(instance, first.run_id)
    assert len(gates) > 100 and set(gates.values()) == {first.run_id}
    published = _published_tables(warehouse)
    settings = warehouse.settings()
    outputs = [settings.db_path, *settings.export_dir.iterdir(), *settings.reports_dir.iterdir()]
    written = {path: path.stat().st_mtime_ns for path in outputs}

    quiet = run_nightly(instance, warehouse=warehouse.config)
    assert quiet.success
    assert not dbt_log_path(settings, quiet.run_id).exists()  # dbt never ran
    assert _gate_runs(instance, quiet.run_id) == gates  # as the first night evaluated them
    assert quiet.asset_materializations_for_node("published__warehouse")
    assert _published_tables(warehouse) == published
    # nor did it write the same analysts' file, export and reports again, and says so
    assert {path: path.stat().st_mtime_ns for path in outputs} == written
    assert summary_lines(first, settings, 1.0)[0].endswith(f"; published {settings.db_path}")
    assert summary_lines(quiet, settings, 1.0)[0].endswith(
        f"; kept {settings.db_path} as run {first.run_id} published it"
    )

    # an output that is no longer as the night left it is written again, alone
    shutil.rmtree(settings.export_dir)
    report = next(settings.reports_dir.glob("*.md"))
    report.write_text("edited by hand\n", encoding="utf-8")
    mended = run_nightly(instance, warehouse=warehouse.config)
    assert mended.success
    assert settings.db_path.stat().st_mtime_ns == written[settings.db_path]
    assert sorted(settings.export_dir.iterdir()) == sorted(
        path for path in outputs if path.parent == settings.export_dir
    )
    assert report.read_text(encoding="utf-8") != "edited by hand\n"

    elsewhere = DagsterInstance.ephemeral()
    unknown = run_nightly(elsewhere, warehouse=warehouse.config)
    assert unknown.success and dbt_log_path(warehouse.settings(), unknown.run_id).exists()
    assert set(_gate_runs(elsewhere, unknown.run_id).values()) == {unknown.run_id}

    warehouse.drop("harbor-isp", "2026-11-04", "garbage.csv", bytes(range(256)) * 8)
    rejected = run_nightly(instance, warehouse=warehouse.config)
    assert rejected.success
    assert set(_gate_runs(instance, rejected.run_id).values()) == {rejected.run_id}
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        statuses = connection.execute(
            "select file_name, file_status from marts.mart_drop_files order by file_name"
        ).fetchall()
    assert statuses == [
        ("harbor-isp/2026-11-02/iocs.csv", "loaded"),
        ("harbor-isp/2026-11-04/garbage.csv", "rejected"),
    ]


# when the registry first saw a file: the one published value that is the history's, not
# the data's
WHEN_SEEN = "registered_at"


def _published_tables(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        names = connection.execute(
            "select schema_name, table_name, list(column_name) from duckdb_columns() "
            "where not internal group by all order by all"
        ).fetchall()
        assert {schema for schema, _, _ in names} == {"marts", "public"}
        return {
            f"{schema}.{table}": connection.execute(
                f"select * {f'exclude ({WHEN_SEEN})' if WHEN_SEEN in columns else ''} "
                f'from "{schema}"."{table}" order by all'
            ).fetchall()
            for schema, table, columns in names
        }


APPENDED_TABLES = [
    "intermediate.int_indicator_links",
    "intermediate.int_indicator_link_names",
    "intermediate.int_actor_mentions_resolved",
    "intermediate.int_actor_names",
    "intermediate.int_incidents_normalized",
    "intermediate.int_stix_context_objects",
]


def test_nights_that_add_drops_give_the_marts_of_one_night_over_them_all(tmp_path):
    """Two nights (the sample drops up to 4 November, then the rest) publish exactly what one
    night over every drop publishes: every mart and public table, row for row, and the
    tables the marts are built from that a night appends to."""
    night_by_night = isolated_warehouse(tmp_path / "night-by-night")
    all_at_once = isolated_warehouse(tmp_path / "all-at-once")
    all_at_once.copy_sample_drops()
    early = [p for p in SAMPLE_DROPS.glob("*/*") if p.name <= "2026-11-04"]
    late = [p for p in SAMPLE_DROPS.glob("*/*") if p.name > "2026-11-04"]
    assert early and late

    for days in (early, late):
        for day in days:
            target = night_by_night.drops_dir / day.parent.name / day.name
            shutil.copytree(day, target)
        night = run_nightly(DagsterInstance.ephemeral(), warehouse=night_by_night.config)
        assert night.success
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=all_at_once.config).success

    incremental, rebuilt = _published_tables(night_by_night), _published_tables(all_at_once)
    assert incremental.keys() == rebuilt.keys()
    assert len(incremental) >= 18
    for table, rows in rebuilt.items():
        assert rows, table  # the samples reach every published table
        assert incremental[table] == rows, table
    for table in APPENDED_TABLES:  # what the marts are built from, row for row too
        assert _rows(night_by_night, table) == _rows(all_at_once, table), table


def _built_files(warehouse) -> set[str]:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        rows = connection.execute("select file_sha256 from raw.built_files").fetchall()
    return {file_sha256 for (file_sha256,) in rows}


def test_a_run_of_some_models_leaves_the_new_files_to_the_next_whole_night(warehouse):
    """An operator materializes one mart after a file arrived: the models that run did not
    read it for the others, so the next whole night still normalizes it."""
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success
    built_after_first = _built_files(warehouse)
    assert len(built_after_first) == 1  # a whole night records what it was made of

    warehouse.drop("harbor-isp", "2026-11-03", "iocs.csv", SECOND)
    landing = [DROP_FILES, LANDED_RECORDS, *FORMAT_RECORDS.values()]
    subset = materialize(
        [partner_drops, warehouse_dbt_assets],
        selection=[*landing, AssetKey(["marts", "mart_drop_files"])],
        instance=instance,
        tags=date_range_tags("2026-11-02", "2026-11-03"),
        resources={"dbt": defs.resources["dbt"], "warehouse": warehouse.config},
        raise_on_error=False,
    )
    assert subset.success
    assert _built_files(warehouse) == built_after_first
    assert "second-night.example" not in normalized_at(warehouse)

    assert run_nightly(instance, warehouse=warehouse.config).success
    assert "second-night.example" in normalized_at(warehouse)
    assert len(_built_files(warehouse)) == 2


APPENDED = "intermediate.int_indicators_normalized"  # each night appends its files' rows


def _row_groups(warehouse, table: str = APPENDED) -> int:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return connection.execute(
            f"select count(distinct row_group_id) from pragma_storage_info('{table}')"
        ).fetchone()[0]


def test_ordinary_nights_leave_their_rows_apart_until_the_weekly_compaction(warehouse):
    """DuckDB's row-group merge runs once, after a whole build and after the first build a
    week after the last compaction; the nights between append their rows in row groups of
    their own (faster checkpoints), which that night merges, with every other table's."""
    instance = DagsterInstance.ephemeral()
    warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", FIRST)
    assert run_nightly(instance, warehouse=warehouse.config).success  # a whole build
    assert _row_groups(warehouse) == 1

    for night, value in enumerate(["second-night", "third-night"], start=2):
        csv = f"value,type,tlp\n{value}.example,domain,green\n".encode()
        warehouse.drop("harbor-isp", f"2026-11-0{night + 1}", "iocs.csv", csv)
        assert run_nightly(instance, warehouse=warehouse.config).success
        assert _row_groups(warehouse) == night

    # a week later (the clock moved back in the record, with no merge at this checkpoint)
    with duckdb.connect(str(warehouse.build_db_path), config={"max_vacuum_tasks": 0}) as db:
        db.execute("update raw.build_compacted set compacted_at = now() - interval 8 days")
    assert _row_groups(warehouse) == 3
    fourth = b"value,type,tlp\nfourth-night.example,domain,green\n"
    warehouse.drop("harbor-isp", "2026-11-05", "iocs.csv", fourth)
    assert run_nightly(instance, warehouse=warehouse.config).success
    assert _row_groups(warehouse) == 1
    assert _row_groups(warehouse, "raw.landed_records") == 1
    assert len(normalized_at(warehouse)) == 4


GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"  # TLP 2.0 GREEN
CORRECTED_TABLES = [
    "marts.mart_indicator_reports",
    "marts.mart_indicators",
    "marts.mart_quarantine",
    "intermediate.int_indicators_normalized",
    "intermediate.int_record_outcomes",
    "intermediate.quarantine",
]


def _bundle(*indicators: tuple[int, str, str, int]) -> bytes:
    """A STIX bundle of TLP:GREEN indicators, each (id number, modified, pattern, confidence)."""
    objects = [
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": f"indicator--{uuid.UUID(int=n)}",
            "created": "2026-11-01T08:00:00.000Z",
            "modified": modified,
            "valid_from": "2026-11-01T08:00:00Z",
            "pattern_type": "stix",
            "pattern": pattern,
            "object_marking_refs": [GREEN],
            "confidence": confidence,
        }
        for n, modified, pattern, confidence in indicators
    ]
    return json.dumps(
        {"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": objects}
    ).encode()


def _rows(warehouse, table: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        return connection.execute(f"select * from {table} order by all").fetchall()


def test_a_correction_on_a_later_night_takes_the_earlier_version_out_of_every_table(tmp_path):
    """A partner reported two indicators, one with a typo in its value (and a confidence off
    its scale), one with a pattern nobody can read; a later night brings the corrected
    versions (same STIX ids, later `modified`). The typo leaves that partner's reports, the
    other partner who reported it too becomes its first reporter, the unreadable record leaves
    the quarantine (the earlier version's confidence stays: it was delivered unreadable), and
    every table these touch is what one night over both deliveries gives."""
    nightly = isolated_warehouse(tmp_path / "night-by-night")
    at_once = isolated_warehouse(tmp_path / "all-at-once")
    before, after = "2026-11-01T08:00:00.000Z", "2026-11-03T08:00:00.000Z"
    first = _bundle(
        (1, before, "[domain-name:value = 'typo-domain.example']", 150),
        (2, before, "[domain-name:value = 'broken.example'", 80),
    )
    corrected = _bundle(
        (1, after, "[domain-name:value = 'right-domain.example']", 80),
        (2, after, "[domain-name:value = 'fixed.example']", 80),
    )
    also_seen = (
        b"value,type,first_seen,tlp\ntypo-domain.example,domain,2026-11-02T09:00:00Z,green\n"
    )
    for warehouse in (nightly, at_once):
        warehouse.drop("aegis-labs", "2026-11-02", "bundle.json", first)
        warehouse.drop("harbor-isp", "2026-11-02", "iocs.csv", also_seen)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    reports = _rows(nightly, "marts.mart_indicator_reports")
    assert {(r[2], r[3], r[-1]) for r in reports} == {
        ("typo-domain.example", "aegis-labs", True),
        ("typo-domain.example", "harbor-isp", False),
    }
    quarantined = [r[7] for r in _rows(nightly, "marts.mart_quarantine")]
    assert len(quarantined) == 2 and "invalid_confidence" in quarantined

    for warehouse in (nightly, at_once):
        warehouse.drop("aegis-labs", "2026-11-04", "bundle.json", corrected)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=at_once.config).success

    reports = _rows(nightly, "marts.mart_indicator_reports")
    assert {(r[2], r[3], r[-1]) for r in reports} == {
        ("right-domain.example", "aegis-labs", True),
        ("fixed.example", "aegis-labs", True),
        ("typo-domain.example", "harbor-isp", True),
    }
    assert [r[7] for r in _rows(nightly, "marts.mart_quarantine")] == ["invalid_confidence"]
    outcomes = sorted(r[5] for r in _rows(nightly, "intermediate.int_record_outcomes"))
    assert outcomes == ["accepted"] * 3 + ["superseded"] * 2
    for table in CORRECTED_TABLES:
        assert _rows(nightly, table) == _rows(at_once, table), table


def _kill_dbt_once_built(debug_log: Path, model: str, killed: list[int]) -> threading.Thread:
    """A watcher that kills (SIGKILL, as a crash or the kernel's OOM killer ends it) the
    `dbt build` this process starts next, once dbt's debug log says it committed the
    incremental `model`, so that the build dies midway; its pid goes to `killed`."""
    already_logged = debug_log.stat().st_size if debug_log.exists() else 0
    built = f"OK created sql incremental model intermediate.{model} "

    def dbt_build_child() -> int | None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                arguments = (entry / "cmdline").read_bytes().split(b"\0")
            except (OSError, IndexError, ValueError):
                continue
            is_dbt = any(argument.rsplit(b"/", 1)[-1] == b"dbt" for argument in arguments)
            if parent == os.getpid() and is_dbt and b"build" in arguments:
                return int(entry.name)
        return None

    def model_built() -> bool:
        with debug_log.open("rb") as log:
            log.seek(already_logged)
            return built.encode() in log.read()

    def watch() -> None:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            pid = dbt_build_child()
            if pid is not None and model_built():
                with contextlib.suppress(ProcessLookupError):  # it ended first: not killed
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                return
            time.sleep(0.02)

    return threading.Thread(target=watch, daemon=True)


def test_a_build_killed_mid_night_is_built_again_and_gives_the_same_marts(tmp_path):
    """A dbt process ended by a signal mid-build (DuckDB crashing, the OOM killer) is not the
    data's doing: the night builds again once, over what the killed build had committed, and
    publishes what an uninterrupted night publishes."""
    interrupted = isolated_warehouse(tmp_path / "interrupted")
    uninterrupted = isolated_warehouse(tmp_path / "uninterrupted")
    early = [p for p in SAMPLE_DROPS.glob("*/*") if p.name <= "2026-11-04"]
    late = [p for p in SAMPLE_DROPS.glob("*/*") if p.name > "2026-11-04"]
    for warehouse in (interrupted, uninterrupted):
        for day in early:
            shutil.copytree(day, warehouse.drops_dir / day.parent.name / day.name)
        assert run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config).success
        for day in late:
            shutil.copytree(day, warehouse.drops_dir / day.parent.name / day.name)

    killed: list[int] = []
    debug_log = dbt_target_path(interrupted.settings()) / "dbt.log"
    watcher = _kill_dbt_once_built(debug_log, "int_record_verdicts", killed)
    watcher.start()
    instance = DagsterInstance.ephemeral()
    night = run_nightly(instance, warehouse=interrupted.config)
    watcher.join()
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=uninterrupted.config).success

    assert killed  # the build was killed mid-night ...
    assert night.success  # ... and the night went on
    warnings = [r.user_message for r in instance.all_logs(night.run_id)]
    assert any("ended by SIGKILL: building again" in message for message in warnings)
    assert _published_tables(interrupted) == _published_tables(uninterrupted)


INCIDENTS_HEADER = (
    b"incident_id,reported_on,victim_name,victim_sector,victim_country,actor,"
    b"ransom_demanded,ransom_paid,currency,downtime_hours,tlp\n"
)
RENAMED_TABLES = [
    "intermediate.int_actor_mentions_resolved",
    "intermediate.int_actor_names",
    "intermediate.int_incidents_normalized",
    "intermediate.int_stix_context_objects",
]


def test_a_later_night_that_renames_an_actor_and_corrects_an_incident_gives_one_night_s_marts(
    tmp_path,
):
    """An ISP lists an indicator of an actor the alias seed does not know and sees it twice;
    an ISAC reports an incident by that actor. A later night spells the actor another way
    (sorting first, so it now names the actor, on the earlier night's indicator too), corrects
    the incident's ransom (same incident id) and brings more sightings of the indicator, one
    on a day already counted. Every published table, and the tables the night appends to, are
    what one night over both deliveries gives."""
    nightly = isolated_warehouse(tmp_path / "night-by-night")
    at_once = isolated_warehouse(tmp_path / "all-at-once")
    first_night = {
        ("harbor-isp", "iocs.csv"): (
            b"value,type,first_seen,tlp,actor\n"
            b"zeta-lure.example,domain,2026-11-01T09:00:00Z,green,Zeta Spider\n"
        ),
        ("harbor-isp", "sightings.jsonl"): (
            b'{"indicator": "zeta-lure.example", "type": "domain", "first_seen": '
            b'"2026-11-01T10:00:00Z", "count": 3, "sensor_country": "NL"}\n'
        ),
        ("finsec-isac", "incidents.csv"): INCIDENTS_HEADER
        + b"FS-INC-1,2026-10-30,Victim One SA,Banking,FR,Zeta Spider,100000,,EUR,12,TLP:GREEN\n",
    }
    second_night = {
        ("harbor-isp", "iocs.csv"): (
            b"value,type,first_seen,tlp,actor\n"
            b"zeta-drop.example,domain,2026-11-03T09:00:00Z,green,ZETA SPIDER\n"
        ),
        ("harbor-isp", "sightings.jsonl"): (
            b'{"indicator": "zeta-lure.example", "type": "domain", "first_seen": '
            b'"2026-11-01T20:00:00Z", "count": 5, "sensor_country": "DE"}\n'
            b'{"indicator": "zeta-lure.example", "type": "domain", "first_seen": '
            b'"2026-11-03T08:00:00Z", "count": 7, "sensor_country": "NL"}\n'
        ),
        ("finsec-isac", "incidents.csv"): INCIDENTS_HEADER
        + b"FS-INC-1,2026-10-30,Victim One SA,Banking,FR,Zeta Spider,150000,,EUR,12,TLP:GREEN\n",
    }
    for warehouse in (nightly, at_once):
        for (partner, name), content in first_night.items():
            warehouse.drop(partner, "2026-11-02", name, content)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    assert _rows(nightly, "intermediate.int_actor_names") == [
        ("unresolved-zetaspider", "Zeta Spider")
    ]

    for warehouse in (nightly, at_once):
        for (partner, name), content in second_night.items():
            warehouse.drop(partner, "2026-11-04", name, content)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=at_once.config).success

    names = {
        row[2]: row[9] for row in _rows(nightly, "marts.mart_indicators")
    }  # value: actor_names
    assert names == {"zeta-lure.example": ["ZETA SPIDER"], "zeta-drop.example": ["ZETA SPIDER"]}
    sighted = {row[3].isoformat(): row[6] for row in _rows(nightly, "marts.mart_sightings_daily")}
    assert sighted == {"2026-11-01": 8, "2026-11-03": 7}  # sighted_on: sighting_count
    incidents = _rows(nightly, "intermediate.int_incidents_normalized")
    corrected = hashlib.sha256(second_night[("finsec-isac", "incidents.csv")]).hexdigest()
    assert [row[1] for row in incidents] == [corrected]  # file_sha256: the later delivery
    assert _published_tables(nightly) == _published_tables(at_once)
    for table in RENAMED_TABLES:
        assert _rows(nightly, table) == _rows(at_once, table), table


def _stix_object(kind: str, n: int, modified: str, **fields) -> dict:
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{uuid.UUID(int=n)}",
        "created": "2026-11-01T08:00:00.000Z",
        "modified": modified,
        "object_marking_refs": [GREEN],
        **fields,
    }


def _indicates(n: int, indicator: int, target: str) -> dict:
    return _stix_object(
        "relationship",
        n,
        "2026-11-01T08:00:00.000Z",
        relationship_type="indicates",
        source_ref=f"indicator--{uuid.UUID(int=indicator)}",
        target_ref=target,
    )


def _stix_bundle(*objects: dict) -> bytes:
    return json.dumps(
        {"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": list(objects)}
    ).encode()


def test_a_later_file_that_links_or_corrects_stix_indicators_relinks_the_earlier_ones(tmp_path):
    """A STIX link may join an indicator to a relationship and a campaign or actor of another
    file. A partner's first bundle links one indicator to a campaign and two others to an
    intrusion set; a later bundle links the first indicator to that intrusion set as well
    (its relationship alone), renames the intrusion set (a name that sorts first now names
    its actor) and corrects the second indicator's value (same ids, later `modified`), which
    the first bundle's relationship still links. The links of the earlier versions leave, the
    new ones come, and the links and every published table are what one night over both
    bundles gives."""
    nightly = isolated_warehouse(tmp_path / "night-by-night")
    at_once = isolated_warehouse(tmp_path / "all-at-once")
    before, after = "2026-11-01T08:00:00.000Z", "2026-11-03T08:00:00.000Z"
    campaign = _stix_object("campaign", 10, before, name="Invoice lures")
    intrusion_set = _stix_object("intrusion-set", 20, before, name="Zeta Spider")

    def indicator(n: int, modified: str, value: str) -> dict:
        return _stix_object(
            "indicator",
            n,
            modified,
            valid_from="2026-11-01T08:00:00Z",
            pattern_type="stix",
            pattern=f"[domain-name:value = '{value}']",
        )

    first = _stix_bundle(
        indicator(1, before, "lure-one.example"),
        indicator(2, before, "lure-twoo.example"),
        indicator(3, before, "lure-three.example"),
        campaign,
        intrusion_set,
        _indicates(31, 1, campaign["id"]),
        _indicates(32, 2, intrusion_set["id"]),
        _indicates(34, 3, intrusion_set["id"]),
    )
    later = _stix_bundle(
        indicator(2, after, "lure-two.example"),
        {**intrusion_set, "modified": after, "name": "Spider Zeta"},
        _indicates(33, 1, intrusion_set["id"]),
    )
    for warehouse in (nightly, at_once):
        warehouse.drop("aegis-labs", "2026-11-02", "bundle.json", first)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    for warehouse in (nightly, at_once):
        warehouse.drop("aegis-labs", "2026-11-04", "links.json", later)
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=nightly.config).success
    assert run_nightly(DagsterInstance.ephemeral(), warehouse=at_once.config).success

    with duckdb.connect(str(nightly.db_path), read_only=True) as connection:
        named = connection.execute(
            "select value, actor_names, campaign_names from marts.mart_indicators order by value"
        ).fetchall()
    assert named == [
        ("lure-one.example", ["Spider Zeta"], ["Invoice lures"]),
        ("lure-three.example", ["Spider Zeta"], []),
        ("lure-two.example", ["Spider Zeta"], []),
    ]
    assert _rows(nightly, "intermediate.int_indicator_links") == _rows(
        at_once, "intermediate.int_indicator_links"
    )
    assert _published_tables(nightly) == _published_tables(at_once)
