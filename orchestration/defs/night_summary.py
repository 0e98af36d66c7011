"""The end of a night as its operator reads it: what landed, which files were rejected or held
back and why (each once), which gate failed, and where the night stopped."""

from __future__ import annotations

from dagster import ExecuteInProcessResult

from orchestration.defs.published_outputs import WRITTEN_IN_RUN
from orchestration.landing.held_files import read_held
from orchestration.landing.registry import read_registry
from orchestration.settings import Settings

STATUS_PREFIX = "new_"
PUBLISH_STEP = "published__warehouse"


def failed_gates(result: ExecuteInProcessResult) -> list[str]:
    """The dbt tests (asset checks) that failed in a run, as `asset: test`."""
    return sorted(
        f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity.value == "ERROR"
    )


def failure_causes(result: ExecuteInProcessResult) -> list[str]:
    """One line per failed step: the step and what stopped it (the innermost error, first
    line), never a traceback."""
    causes = []
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        data = event.step_failure_data
        description = data.user_failure_data.description if data.user_failure_data else None
        if not description:
            error = data.error
            while error is not None and error.cause is not None:
                error = error.cause
            description = (error.message if error else "failed").strip().splitlines()[0]
        causes.append(f"{event.step_key}: {description}")
    return causes


def _landing_metadata(result: ExecuteInProcessResult) -> dict[str, object]:
    for materialization in result.asset_materializations_for_node("partner_drops"):
        if materialization.asset_key.path == ["raw", "drop_files"]:
            return {key: value.value for key, value in materialization.metadata.items()}
    return {}


def _published(result: ExecuteInProcessResult, settings: Settings) -> str:
    """What became of the analysts' file on a night that succeeded: published, or kept as an
    earlier night wrote it (nothing new since: orchestration/defs/published_outputs.py)."""
    for materialization in result.asset_materializations_for_node(PUBLISH_STEP):
        written_in = materialization.metadata.get(WRITTEN_IN_RUN)
        if written_in is not None and written_in.value != result.run_id:
            return f"kept {settings.db_path} as run {written_in.value} published it"
    return f"published {settings.db_path}"


def summary_lines(result: ExecuteInProcessResult, settings: Settings, seconds: float) -> list[str]:
    """The lines that close a night, success or not."""
    landing = _landing_metadata(result)
    statuses = ", ".join(
        f"{count} {key.removeprefix(STATUS_PREFIX)}"
        for key, count in sorted(landing.items())
        if key.startswith(STATUS_PREFIX) and key != "new_files"
    )
    new_files = landing.get("new_files", 0)
    landed = f"{new_files} new files ({statuses})" if statuses else f"{new_files} new files"
    if result.success:
        lines = [f"night succeeded in {seconds:.1f} s: {landed}; {_published(result, settings)}"]
    else:
        lines = [
            f"night failed in {seconds:.1f} s: {landed}; the published file was left as it was"
        ]
        lines += [f"  failed: {cause}" for cause in failure_causes(result)]
        lines += [f"  gate failed: {gate}" for gate in failed_gates(result)]
    rejected = landing.get("rejected_files") or []
    if rejected:
        lines.append(f"rejected files ({len(rejected)}):")
        lines += [f"  {line}" for line in rejected]
    held = read_held(settings.landing_dir)
    if held:
        registry = read_registry(settings.registry_path)
        names = {e.file_sha256: e.file_name for e in registry if e.status == "loaded"}
        lines.append(f"held back ({len(held)}):")
        lines += [f"  {names.get(sha, sha)}: {entry.reason}" for sha, entry in sorted(held.items())]
    return lines
