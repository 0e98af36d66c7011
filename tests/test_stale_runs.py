"""A night killed with SIGKILL (whole process group) at several points: the next night finishes
by itself and publishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus

from tests.conftest import REPO_ROOT

# the first event of each kind that a night writes, in order; the kill comes right after it
KILL_AFTER = ["partner_drops", "warehouse_dbt_assets", "published__warehouse"]


def _step_started(instance: DagsterInstance, step_key: str) -> bool:
    for run in instance.get_runs():
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event and event.event_type_value == "STEP_START" and event.step_key == step_key:
                return True
    return False


@pytest.mark.parametrize("step_key", KILL_AFTER)
def test_the_night_after_a_killed_night_publishes(tmp_path, monkeypatch, warehouse, step_key):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_bytes((REPO_ROOT / "dagster.yaml").read_bytes())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    warehouse.copy_sample_drops()
    night = subprocess.Popen(
        [sys.executable, "-m", "orchestration.run_nightly"],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    instance = DagsterInstance.get()
    try:
        deadline = time.monotonic() + 300
        while not _step_started(instance, step_key):
            assert night.poll() is None, "the night ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        os.killpg(night.pid, signal.SIGKILL)
        night.wait()
    (killed,) = instance.get_runs()
    assert killed.status == DagsterRunStatus.STARTED  # left behind, holding its pool slot

    # the next night, as `make run` starts it; bounded: a night blocked by the dead run's pool
    # slot would wait forever
    recovery = subprocess.run(
        [sys.executable, "-m", "orchestration.run_nightly"],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert recovery.returncode == 0, recovery.stderr[-3000:]
    assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        (indicators,) = connection.execute("select count(*) from marts.mart_indicators").fetchone()
    assert indicators > 0
