"""Run the nightly job from the command line over every delivery date in the drops folder, in
one run (what `make run` does). `--from/--to` narrow it to a range of delivery dates."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from datetime import UTC, datetime

from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration.defs.definitions import defs
from orchestration.defs.jobs import date_range_tags
from orchestration.defs.resources import WarehouseConfig
from orchestration.defs.stale_runs import fail_runs_of_dead_processes
from orchestration.landing.drops import delivery_folder_states
from orchestration.settings import REPO_ROOT

log = logging.getLogger("ccw.run_nightly")


def run_nightly(
    instance: DagsterInstance,
    first: str | None = None,
    last: str | None = None,
    *,
    warehouse: WarehouseConfig,
) -> ExecuteInProcessResult:
    """Execute the nightly job for delivery dates `first`..`last` (default: every date that has
    drop folders, or today when there are none) with `warehouse` (the command line builds it
    from the environment). Runs a dead night left unfinished are marked failed first, so their
    pool slots never block this one."""
    fail_runs_of_dead_processes(instance)
    days = sorted(delivery_folder_states(warehouse.resolve().drops_dir))
    today = datetime.now(UTC).date().isoformat()
    first = first or (days[0].isoformat() if days else today)
    last = last or (days[-1].isoformat() if days else today)
    return defs.resolve_job_def("nightly").execute_in_process(
        instance=instance,
        tags=date_range_tags(first, last),
        raise_on_error=False,
        resources={"warehouse": warehouse},
    )


def failed_gates(result: ExecuteInProcessResult) -> list[str]:
    """The dbt tests (asset checks) that failed in a run, as `asset: test`."""
    return sorted(
        f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity.value == "ERROR"
    )


def nightly_instance() -> DagsterInstance:
    """The instance of `DAGSTER_HOME`; without it, the one where `make` keeps run history
    (`.dagster/`, holding the project's dagster.yaml), so the command works from a plain shell
    too."""
    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    home = REPO_ROOT / ".dagster"
    home.mkdir(exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--from", dest="first", help="first delivery date (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", help="last delivery date (YYYY-MM-DD)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    warehouse = WarehouseConfig.from_environment()
    result = run_nightly(nightly_instance(), args.first, args.last, warehouse=warehouse)
    if not result.success:
        for gate in failed_gates(result):
            log.error(f"gate failed: {gate}")
        for event in result.all_events:
            if event.is_step_failure:
                log.error(event.step_failure_data.error.message)
        log.error("the published warehouse was left as it was")
        return 1
    log.info(f"nightly run {result.run_id} succeeded: {warehouse.resolve().db_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
