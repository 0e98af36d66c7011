"""Nights killed with SIGKILL (whole process group) at several points: each next night finishes
the dead run by itself, and the last one publishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

from orchestration.defs.dagster_home import write_dagster_home
from tests.conftest import REPO_ROOT

# the first event of each kind that a night writes, in order; the kill comes right after it
KILL_AFTER = ["partner_drops", "warehouse_dbt_assets", "published__warehouse"]


def _step_started(instance: DagsterInstance, step_key: str, killed: list[str]) -> bool:
    """Whether the run of the night still going (not one killed before) has started `step_key`.
    Only the runs' step starts are read, so that the poll is quick: the last steps of a sample
    night take well under a second."""
    for run in instance.get_runs():
        if run.run_id in killed:
            continue
        starts = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.STEP_START)
        if any(record.event_log_entry.step_key == step_key for record in starts.records):
            return True
    return False


def _night(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.defs.run_nightly"],
        cwd=REPO_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_after(
    instance: DagsterInstance, night: subprocess.Popen, step_key: str, killed: list[str]
) -> None:
    try:
        deadline = time.monotonic() + 300
        while not _step_started(instance, step_key, killed):
            assert night.poll() is None, f"the night ended before it could be killed ({step_key})"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.killpg(night.pid, signal.SIGKILL)
        night.wait()


def test_the_night_after_a_killed_night_publishes(tmp_path, monkeypatch, warehouse):
    """Night n is killed right after the first event of step n; each next night finds the
    dead run, fails it and goes on (to be killed itself one step later); the last publishes."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    write_dagster_home(home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    warehouse.copy_sample_drops()
    instance = DagsterInstance.get()
    killed = []
    for step_key in KILL_AFTER:
        night = _night({**os.environ, **warehouse.environment()})
        _kill_after(instance, night, step_key, killed)
        (run,) = [r for r in instance.get_runs() if r.run_id not in killed]
        assert run.status == DagsterRunStatus.STARTED  # left behind, holding its pool slot
        killed.append(run.run_id)

    # the next night, as `make run` starts it; bounded: a night blocked by a dead run's pool
    # slot would wait forever
    recovery = subprocess.run(
        [sys.executable, "-m", "orchestration.defs.run_nightly"],
        cwd=REPO_ROOT,
        env={**os.environ, **warehouse.environment()},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert recovery.returncode == 0, recovery.stderr[-3000:]
    assert [instance.get_run_by_id(r).status for r in killed] == [DagsterRunStatus.FAILURE] * 3
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        (indicators,) = connection.execute("select count(*) from marts.mart_indicators").fetchone()
    assert indicators > 0
