"""Runs a dead night left behind. A night killed mid-run (`kill -9`, a lost machine) stays
STARTED in Dagster's run storage and keeps its slot of the `duckdb` pool, so the next night
would wait forever. Before a night starts, every unfinished run whose process is gone is
marked failed and its pool slots freed."""

from __future__ import annotations

import logging
import os

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

log = logging.getLogger(__name__)

UNFINISHED = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _pid_of(instance: DagsterInstance, run_id: str) -> int | None:
    """The process that wrote the run's events (an in-process run writes them all)."""
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is not None and event.pid is not None:
            return event.pid
    return None


def fail_runs_of_dead_processes(instance: DagsterInstance) -> list[str]:
    """Mark every unfinished run whose process has died as failed and free its pool slots;
    return their run ids. A run whose process still lives is left alone (it is a night in
    progress: the new night waits for the pool)."""
    failed = []
    for run in instance.get_runs(filters=RunsFilter(statuses=UNFINISHED)):
        pid = _pid_of(instance, run.run_id)
        if pid is not None and pid != os.getpid() and _process_alive(pid):
            continue
        instance.report_run_failed(
            run, message=f"the process of this run (pid {pid}) is gone: marked failed"
        )
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        log.warning("run %s of a process that died was marked failed", run.run_id)
        failed.append(run.run_id)
    return failed
