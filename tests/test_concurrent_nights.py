"""Two nights started together, each with its own Dagster instance (so Dagster's pool cannot
order them): they take turns, both succeed, and the warehouse holds every file once."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from orchestration.defs.dagster_home import write_dagster_home
from tests.conftest import REPO_ROOT, SAMPLE_DROPS


def _start_night(home, warehouse) -> subprocess.Popen:
    home.mkdir()
    write_dagster_home(home)
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.defs.run_nightly"],
        cwd=REPO_ROOT,
        env={**os.environ, **warehouse.environment(), "DAGSTER_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_nights_started_together_take_turns(tmp_path, warehouse):
    warehouse.copy_sample_drops()
    delivered = sorted(
        path.relative_to(SAMPLE_DROPS).as_posix()
        for path in SAMPLE_DROPS.rglob("*")
        if path.is_file()
    )

    nights = [_start_night(tmp_path / name, warehouse) for name in ("home-a", "home-b")]
    outputs = [night.communicate(timeout=600)[0] for night in nights]

    assert [night.returncode for night in nights] == [0, 0], outputs[0][-2000:] + outputs[1][-2000:]
    assert any("waits: another night is writing the warehouse" in out for out in outputs)
    with duckdb.connect(str(warehouse.db_path), read_only=True) as connection:
        files = connection.execute(
            "select file_name, file_status from marts.mart_drop_files order by file_name"
        ).fetchall()
    assert [name for name, _ in files] == delivered  # each file registered once, none lost
    # what one night alone makes of the sample drops: a re-sent copy is a duplicate; a
    # truncated bundle, a binary file and the unregistered partner's files are rejected
    assert {name: status for name, status in files if status != "loaded"} == {
        "aegis-labs/2026-11-05/aegis-threat-report-2026-11-02-resent.json": "duplicate",
        "aegis-labs/2026-11-04/aegis-daily-2026-11-04.json": "rejected",
        "harbor-isp/2026-11-05/binary-garbage.csv": "rejected",
        **{name: "rejected" for name in delivered if name.startswith("shadow-broker/")},
    }
