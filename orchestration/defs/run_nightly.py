"""Run the nightly job from the command line over every delivery date in the drops folder, in
one run (what `make run` does). `--from/--to` narrow it to a range of delivery dates.

It prints one line per stage with its duration and a summary at the end (rejected and held
files, failed gates); `--verbose` adds Dagster's and dbt's own DEBUG log."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration.defs.dagster_home import write_dagster_home
from orchestration.defs.definitions import defs
from orchestration.defs.jobs import date_range_tags
from orchestration.defs.night_summary import summary_lines
from orchestration.defs.operator_log import NotDagsterRecords, operator_handler
from orchestration.defs.partitions import delivery_dates
from orchestration.defs.resources import WarehouseConfig
from orchestration.defs.stale_runs import fail_runs_of_dead_processes
from orchestration.landing.drops import delivery_folder_states
from orchestration.landing.folder_checks import FolderProblem, check_folders
from orchestration.settings import REPO_ROOT

log = logging.getLogger("ccw.run_nightly")


def run_nightly(
    instance: DagsterInstance,
    first: str | None = None,
    last: str | None = None,
    *,
    warehouse: WarehouseConfig,
    run_config: Mapping[str, Any] | None = None,
) -> ExecuteInProcessResult:
    """Execute the nightly job for delivery dates `first`..`last` (default: every date that has
    drop folders, or today when there are none) with `warehouse` (the command line builds it
    from the environment). Runs a dead night left unfinished are marked failed first, so their
    pool slots never block this one."""
    fail_runs_of_dead_processes(instance)
    days = sorted(delivery_folder_states(warehouse.resolve().drops_dir))
    today = datetime.now(UTC).date().isoformat()
    earliest = days[0].isoformat() if days else today
    latest = days[-1].isoformat() if days else today
    # one bound given: the other is the first or last delivery, never on the wrong side of it
    first = first or min(earliest, last or earliest)
    last = last or max(latest, first)
    return defs.resolve_job_def("nightly").execute_in_process(
        instance=instance,
        tags=date_range_tags(first, last),
        raise_on_error=False,
        resources={"warehouse": warehouse},
        run_config=run_config,
    )


def nightly_instance() -> DagsterInstance:
    """The instance of `DAGSTER_HOME`; without it, the one where `make` keeps run history
    (`.dagster/`, holding the project's dagster.yaml), so the command works from a plain shell
    too."""
    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    return DagsterInstance.from_config(str(write_dagster_home(REPO_ROOT / ".dagster")))


def _delivery_date(text: str) -> str:
    """An argument that must be a delivery date inside the delivery partitions."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    first = delivery_dates.get_first_partition_key()
    last = delivery_dates.get_last_partition_key()
    if not first <= day.isoformat() <= last:
        raise argparse.ArgumentTypeError(f"{text} is outside the delivery dates {first}..{last}")
    return day.isoformat()


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.defs.run_nightly", description=__doc__
    )
    parser.add_argument("--from", dest="first", type=_delivery_date, help="first delivery date")
    parser.add_argument("--to", dest="last", type=_delivery_date, help="last delivery date")
    parser.add_argument("--verbose", "-v", action="store_true", help="DEBUG log of every part")
    args = parser.parse_args(argv)
    if args.first and args.last and args.first > args.last:
        parser.error(f"--from {args.first} is after --to {args.last}")
    return args


def configure_logging(verbose: bool) -> None:
    """One handler on the root logger: this command's lines at INFO; the libraries' own INFO
    (Alembic, dbt's stream, dagster-dbt's notes) only when verbose."""
    root = logging.getLogger()
    handler = operator_handler(logging.NOTSET)
    handler.addFilter(NotDagsterRecords())  # the operator logger shows those, once
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    log.setLevel(logging.INFO)
    # dagster-dbt's progress notes (dbt's command line, partial parsing) reach the run's log
    logging.getLogger("dagster.builtin").setLevel(logging.DEBUG if verbose else logging.WARNING)


def hold_loaded_objects_out_of_collection() -> None:
    """Keep the objects that exist now (the code Dagster, dagster-dbt and dbt loaded: about
    400k of them, as long-lived as the process) out of the garbage collector's passes: the
    night's own, and the interpreter's last one at exit, which went over all of them again
    (a 1M night's process: 1.3 s to exit, 0.35 s with them held out). A night's command calls
    it once its code is loaded and again before it exits."""
    gc.freeze()


def main(argv: list[str] | None = None) -> int:
    hold_loaded_objects_out_of_collection()
    try:
        return _night(argv)
    finally:
        hold_loaded_objects_out_of_collection()


def _night(argv: list[str] | None) -> int:
    args = parse_arguments(argv)
    configure_logging(args.verbose)
    warehouse = WarehouseConfig.from_environment()
    settings = warehouse.resolve()
    try:
        check_folders(settings)
    except FolderProblem as problem:
        log.error(f"the night cannot run: {problem}")
        return 1
    started = time.monotonic()
    result = run_nightly(
        nightly_instance(),
        args.first,
        args.last,
        warehouse=warehouse,
        run_config={"loggers": {"operator": {"config": {"verbose": args.verbose}}}},
    )
    for line in summary_lines(result, settings, time.monotonic() - started):
        (log.info if result.success else log.error)(line)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
