"""The night as its operator runs it from the command line: a short log with one line per stage,
a summary that lists each rejected file once, and one clear line (no traceback, no run left
behind) when the night cannot start."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.defs.dagster_home import write_dagster_home
from tests.conftest import REPO_ROOT, Warehouse

STAGES = ("landing:", "dbt:", "publish:", "exports:", "reports:")


def _night(warehouse: Warehouse, *args: str) -> subprocess.CompletedProcess:
    home = warehouse.root / "dagster"
    home.mkdir(exist_ok=True)
    write_dagster_home(home)
    env = {**os.environ, **warehouse.environment(), "DAGSTER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "orchestration.defs.run_nightly", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _runs(warehouse: Warehouse) -> list:
    return DagsterInstance.from_config(str(warehouse.root / "dagster")).get_runs()


def _lines(completed: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (completed.stdout + completed.stderr).splitlines() if line.strip()]


def _assert_one_line_naming(completed, *words: str) -> None:
    lines = _lines(completed)
    assert completed.returncode != 0
    assert len(lines) == 1, lines
    assert all(word in lines[0] for word in words), lines[0]
    assert "Traceback" not in completed.stderr


def test_a_missing_drops_folder_stops_the_night_before_it_starts(warehouse):
    missing = warehouse.root / "no-such-drops"
    warehouse.drops_dir = missing

    completed = _night(warehouse)

    _assert_one_line_naming(completed, str(missing), "does not exist")
    assert _runs(warehouse) == []
    assert not warehouse.db_path.exists()  # nothing published, not even an empty warehouse


def test_an_empty_drops_folder_stops_the_night(warehouse):
    completed = _night(warehouse)  # the fixture's drops folder exists and holds nothing

    _assert_one_line_naming(completed, str(warehouse.drops_dir), "is empty")
    assert not warehouse.db_path.exists()


@pytest.mark.parametrize("blocked", ["a file in the way", "a read-only file system"])
def test_a_folder_that_cannot_be_written_is_named_with_its_cause(warehouse, blocked):
    warehouse.copy_sample_drops()
    if blocked == "a file in the way":
        (warehouse.root / "blocked").write_text("a file, not a folder")
        folder = warehouse.root / "blocked" / "warehouse"
        cause = "Not a directory"
    else:
        folder = Path("/sys/ccw-warehouse")  # sysfs: no one may create anything here
        cause = "("
    warehouse.db_path = folder / "ccw.duckdb"
    warehouse.landing_dir = folder / "landing"

    completed = _night(warehouse)

    _assert_one_line_naming(completed, str(folder), "cannot be written", cause)
    assert _runs(warehouse) == []


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--from", "yesterday"], "'yesterday' is not a date (YYYY-MM-DD)"),
        (["--to", "2026-13-01"], "'2026-13-01' is not a date"),
        (["--from", "1999-01-01"], "outside the delivery dates"),
        (["--from", "2026-11-05", "--to", "2026-11-02"], "is after --to"),
    ],
)
def test_bad_dates_are_refused_by_the_argument_parser(warehouse, arguments, complaint):
    warehouse.copy_sample_drops()

    completed = _night(warehouse, *arguments)

    assert completed.returncode == 2  # argparse's usage error
    assert complaint in completed.stderr
    assert "Traceback" not in completed.stderr
    assert _runs(warehouse) == []  # no run left "Starting" in Dagster


def test_the_night_log_has_a_line_per_stage_and_a_summary_of_rejected_files(warehouse):
    warehouse.copy_sample_drops()

    completed = _night(warehouse)

    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = _lines(completed)
    messages = [line.split(" ", 2)[-1] for line in lines]  # without time and level
    assert len(messages) == len(set(messages)), "a line was printed twice"
    assert not [line for line in lines if " DEBUG " in line]
    for stage in STAGES:
        stage_lines = [m for m in messages if m.startswith(stage)]
        assert len(stage_lines) == 1, (stage, messages)
        assert re.search(r"\d+\.\d s\)", stage_lines[0]), stage_lines[0]  # its duration
    assert any(m.startswith("night succeeded in ") for m in messages)
    assert len(lines) < 30, lines

    with duckdb.connect(str(warehouse.build_db_path), read_only=True) as connection:
        rejected = connection.execute(
            "select file_name, error from raw.drop_files where status = 'rejected'"
        ).fetchall()
    assert len(rejected) == 3  # the sample drops' broken JSON, unknown partner, binary file
    summary = messages[messages.index(f"rejected files ({len(rejected)}):") :]
    for file_name, error in rejected:
        mentions = [line for line in lines if file_name in line]
        assert len(mentions) == 1, mentions  # listed once, in the summary, path not repeated
        reason = error.removeprefix(f"{file_name}: ")
        assert f"  {file_name}: {reason}" in summary
