"""The dbt project as Dagster assets: `dbt build`, so dbt tests run as asset checks and an
error-severity failure skips everything downstream of it.

Models that normalize per delivered file are incremental (only new files are processed); when
the reference seeds or the dbt code change, the night runs with `--full-refresh` so that every
file is normalized again under the new rules.
"""

import contextlib
import hashlib
import json
import signal
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Output,
)

# how a check's run ended, to find its last evaluation (not public API: Dagster's own storage)
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.defs.build_compaction import compact, compaction_due
from orchestration.defs.build_inputs import (
    build_inputs,
    forget_build_inputs,
    store_build_inputs,
    stored_build_inputs,
)
from orchestration.defs.check_descriptions import describe_test
from orchestration.defs.resources import DUCKDB_POOL, OWNERS, WarehouseConfig
from orchestration.defs.warehouse_lock import warehouse_lock
from orchestration.landing.held_files import (
    HeldFile,
    files_to_suspect,
    read_held,
    record_built_files,
    release_stale,
    write_held,
)
from orchestration.landing.landing_zone import load_raw_tables
from orchestration.landing.raw_catalog import record_value, recorded_value
from orchestration.settings import (
    DBT_PROJECT_DIR,
    REFERENCE_SEEDS_DIR,
    REPO_ROOT,
    Settings,
)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=REPO_ROOT)
dbt_project.prepare_if_dev()

FINGERPRINT_TABLE = "raw.build_fingerprint"
# a whole build (the first, or under changed rules) runs one model at a time: each reads
# millions of rows, and two at once share DuckDB's memory limit, spill, or run out of it
# ("failed to pin block"); one at a time has the whole limit and every core, in less time (5M
# records: 171 s one at a time; two at once took 192 s once, and ran out of memory twice).
# A night's incremental build reads little per model and keeps the profile's threads.
WHOLE_BUILD = ("--full-refresh", "--threads", "1")
# tests that guard the pipeline itself (nothing lost, nothing restricted shared): a failure is
# never blamed on a partner's file
INTEGRITY_TAG = "integrity"
# signals that end a process that did not ask to stop: a build they end is built again once
CRASH_SIGNALS = frozenset(
    {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL, signal.SIGFPE, signal.SIGKILL}
)


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys are `<schema>/<name>`, matching where each table lives in the DuckDB file."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            return AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        name = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return AssetKey([schema, name])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "raw"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS

    def get_asset_check_spec(
        self,
        asset_spec: AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> AssetCheckSpec | None:
        """dbt's check, with what the test guards in words (check_descriptions)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_test(manifest["nodes"][unique_id]))


def rules_fingerprint() -> str:
    """sha256 over everything that decides how a file is normalized: reference seeds, the
    dbt project's models, macros and configuration, and the SQL functions and macros the
    models call (orchestration/sql/)."""
    digest = hashlib.sha256()
    folders = [
        REFERENCE_SEEDS_DIR,
        DBT_PROJECT_DIR / "models",
        DBT_PROJECT_DIR / "macros",
        REPO_ROOT / "orchestration" / "sql",
    ]
    paths = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in folders:
        paths += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(paths):
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stored_fingerprint(build_db_path: Path) -> str | None:
    if not build_db_path.exists():
        return None
    with duckdb.connect(str(build_db_path)) as connection:
        return recorded_value(connection, FINGERPRINT_TABLE, "fingerprint")


def store_fingerprint(connection: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    record_value(connection, FINGERPRINT_TABLE, "fingerprint", fingerprint)


@dataclass
class _Build:
    """One `dbt build` and the Dagster events it produced, kept until it is known to count."""

    invocation: DbtCliInvocation
    events: list[Any]
    # dbt's run results, read when the build ended (the next build of the night writes over
    # them); None when dbt died before writing them (a crash, a kill)
    results: list[dict[str, Any]] | None

    @property
    def succeeded(self) -> bool:
        return self.invocation.is_successful()

    def crash(self) -> str | None:
        """The signal of a crash that ended dbt's process (a fault inside DuckDB, or SIGKILL,
        the kernel's OOM killer's), by name; None when dbt exited by itself or was asked to
        stop (SIGTERM, SIGINT: an operator's or a shutdown's doing)."""
        code = self.invocation.process.wait()
        if -code not in CRASH_SIGNALS:
            return None
        return signal.Signals(-code).name

    def failed_nodes(self) -> list[str]:
        """unique_ids of the models that errored and the tests that failed; none when dbt died
        before writing its results: no data is to blame, the night fails."""
        results = self.results or []
        return sorted(r["unique_id"] for r in results if r["status"] in ("error", "fail"))

    def summary(self) -> str:
        """What the build did, as one line: models and seeds built, tests by status."""
        results = self.results
        if results is None:
            return "dbt wrote no results"
        nodes = self.invocation.manifest["nodes"]
        counts = Counter(
            (nodes.get(r["unique_id"], {}).get("resource_type", "node"), r["status"])
            for r in results
        )
        built, others, tests = Counter(), Counter(), Counter()
        for (kind, status), n in counts.items():
            if kind == "test":
                tests[status] += n
            elif status == "success":
                built[kind] += n
            else:
                others[status] += n
        passed = tests.pop("pass", 0)
        return (
            f"{built['model']} models and {built['seed']} seeds built"
            + "".join(f", {n} {status}" for status, n in sorted(others.items()))
            + f"; {passed} of {passed + tests.total()} tests passed"
            + "".join(f", {n} {status}" for status, n in sorted(tests.items()))
        )

    def out_of_memory(self) -> list[str]:
        """The nodes DuckDB ran out of memory in: the limit's doing, not a file's."""
        return sorted(
            r["unique_id"]
            for r in self.results or []
            if r["status"] == "error" and "Out of Memory Error" in (r.get("message") or "")
        )

    def failed_integrity_gates(self) -> list[str]:
        nodes = self.invocation.manifest["nodes"]
        return [
            unique_id
            for unique_id in self.failed_nodes()
            if INTEGRITY_TAG in nodes.get(unique_id, {}).get("tags", [])
        ]


def _build(
    context: AssetExecutionContext, dbt: DbtCliResource, args: list[str], settings: Settings
) -> _Build:
    """Run dbt (see _run_dbt); a run that crashed is run again once: a crash is not the data's
    doing, and what dbt committed before it is kept (each model is one transaction, and the
    incremental models skip the files they already hold)."""
    build = _run_dbt(context, dbt, args, settings)
    if (crash := build.crash()) is not None:
        context.log.warning(f"dbt's process was ended by {crash}: building again")
        build = _run_dbt(context, dbt, args, settings)
    return build


def _run_dbt(
    context: AssetExecutionContext, dbt: DbtCliResource, args: list[str], settings: Settings
) -> _Build:
    """Run dbt with tonight's settings handed over as --vars (profiles.yml reads them). dbt's
    own line-by-line output goes to the night's dbt log, not to the operator's console."""
    with_vars = [*args, "--vars", json.dumps(settings.dbt_vars())]
    log_path = dbt_log_path(settings, context.run.run_id)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    target_path = dbt_target_path(settings)
    # the results of an earlier build must never pass for this one's
    (target_path / "run_results.json").unlink(missing_ok=True)
    with log_path.open("a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        invocation = dbt.cli(
            with_vars, context=context, raise_on_error=False, target_path=target_path
        )
        events = list(invocation.stream())
    has_results = (invocation.target_path / "run_results.json").exists()
    results = invocation.get_artifact("run_results.json")["results"] if has_results else None
    return _Build(invocation, events, results)


def dbt_log_path(settings: Settings, run_id: str) -> Path:
    """Where a night's dbt builds write what dbt printed, one file per night."""
    return settings.build_db_path.parent / "logs" / f"dbt-{run_id}.log"


def dbt_target_path(settings: Settings) -> Path:
    """dbt's target folder, one per warehouse and kept between nights, so that dbt's partial
    parse (`partial_parse.msgpack`) serves the next night: a night hands dbt the same --vars
    and profile as the one before, so only what changed in the project is parsed again. Its
    run results are those of the latest build (nights of one warehouse never overlap: the
    warehouse lock)."""
    return settings.build_db_path.parent / "dbt-target"


def with_row_counts(
    events: list[Any],
    connection: duckdb.DuckDBPyConnection,
    keys_by_output_name: Mapping[str, AssetKey],
) -> list[Any]:
    """The build's events, each table it materialized with its `dagster/row_count` (views are
    left uncounted: counting one would run its query)."""
    tables = set(
        connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE'"
        ).fetchall()
    )
    counted = []
    for event in events:
        key = keys_by_output_name.get(getattr(event, "output_name", None))
        if isinstance(event, Output) and key and tuple(key.path) in tables:
            schema, name = key.path
            rows = connection.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            event = event.with_metadata({**event.metadata, "dagster/row_count": rows[0]})
        counted.append(event)
    return counted


def _reload_raw_tables(settings: Settings) -> None:
    with settings.connect_build_file() as connection:
        load_raw_tables(connection, settings.landing_dir, settings.registry_path)


def _build_holding_back(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    settings: Settings,
    failed: _Build,
    rules_changed: bool,
    fingerprint: str,
) -> _Build | None:
    """After a build failed on data, build again without the suspect files of one partner at a
    time, then without every suspect file; the first build that succeeds is kept and its
    left-out files are held. None when a failed integrity gate, DuckDB running out of memory
    (the limit's doing, not a file's), or a failure that remains without any suspect file,
    fails the night."""
    nodes = failed.failed_nodes()
    if out_of_memory := failed.out_of_memory():
        names = ", ".join(node.split(".", 2)[-1] for node in out_of_memory[:5])
        more = f" and {len(out_of_memory) - 5} more" if len(out_of_memory) > 5 else ""
        context.log.error(
            f"DuckDB ran out of memory in {names}{more}: no file is held back for it; raise "
            f"CCW_DUCKDB_MEMORY_LIMIT (now {settings.duckdb_memory_limit})"
        )
        return None
    if failed.failed_integrity_gates() or not nodes:
        return None
    with settings.connect_build_file() as connection:
        suspects = files_to_suspect(connection, rules_changed)
    groups = [(f"the new files of {partner}", shas) for partner, shas in suspects.items()]
    if len(groups) > 1:
        groups.append(("every new file", [sha for shas in suspects.values() for sha in shas]))
    already_held = read_held(settings.landing_dir)
    failed_names = ", ".join(node.split(".", 2)[-1] for node in nodes)
    for description, shas in groups:
        context.log.warning(f"dbt build failed ({failed_names}): building without {description}")
        reason = (
            f"held back: the night's build failed ({failed_names}) with {description}; "
            "the rest was published"
        )
        now = datetime.now(UTC)
        write_held(
            settings.landing_dir,
            [*already_held.values(), *(HeldFile(sha, reason, fingerprint, now) for sha in shas)],
        )
        _reload_raw_tables(settings)
        retry = _build(context, dbt, ["build", *WHOLE_BUILD], settings)
        if retry.succeeded:
            context.log.warning(f"held {len(shas)} files back: {description}")
            return retry
    write_held(settings.landing_dir, already_held.values())
    _reload_raw_tables(settings)
    return None


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    # source tests (on raw.drop_files) are checks of the landing asset, not loose observations
    dagster_dbt_translator=WarehouseTranslator(
        settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True)
    ),
    exclude="test_type:unit",
    pool=DUCKDB_POOL,
)
def warehouse_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseConfig
):
    """Seed, stage, normalize and aggregate, with every data test as a gate. A build that fails
    on a partner's data is built again without it (see _build_holding_back)."""
    settings = warehouse.resolve()
    with warehouse_lock(settings, "dbt build", context.log.warning):
        yield from _build_night(context, dbt, settings)


def _build_night(context: AssetExecutionContext, dbt: DbtCliResource, settings: Settings):
    """Build under tonight's rules; when the build fails on data, build again holding back
    the files it fails on."""
    started = time.monotonic()
    fingerprint = rules_fingerprint()
    rules_changed = stored_fingerprint(settings.build_db_path) != fingerprint
    if release_stale(settings.landing_dir, fingerprint):
        context.log.info("rules changed: files held under the old rules are tried again")
        _reload_raw_tables(settings)
    with settings.connect_build_file() as connection:
        # nothing new (a run of some models picked in the UI always runs): the gates are
        # reported as they last ended on these tables; where this Dagster instance's history
        # holds no evaluation of one (a new instance), the night builds
        last_gates = None
        if (
            not rules_changed
            and not context.is_subset
            and stored_build_inputs(connection) == build_inputs(connection, fingerprint)
        ):
            last_gates = _last_gate_results(context)
        if last_gates is None:
            # the tables are about to change: until this build succeeds, no record says
            # what they are made of (a build that fails midway leaves some models built)
            forget_build_inputs(connection)
    if last_gates is not None:
        context.log.info(
            "dbt: nothing new since the last build (the same files under the same rules): "
            f"its tables and gates stand as they were ({time.monotonic() - started:.1f} s)"
        )
        yield from _unchanged_outputs(context, last_gates)
        return
    args = ["build"]
    if rules_changed:
        context.log.info("reference data or dbt code changed: full refresh")
        args += WHOLE_BUILD
    else:
        # the reference seeds, the models made of them alone (tag `reference`) and the gates
        # on those alone are as the last whole build made and passed them: the fingerprint
        # covers every seed file and every model and macro. dbt excludes with a node
        # the tests that read it: by default (`eager`) every test that reads a seed, so the
        # gates that compare a model with one (a reason code, a TLP level, a sector or a
        # country that must exist) would not run; `cautious` leaves out those on seeds alone.
        # (A subset's selection is Dagster's, with its own indirect selection.)
        args += ["--exclude", "resource_type:seed tag:reference"]
        if not context.is_subset:
            args += ["--indirect-selection", "cautious"]
    build = _build(context, dbt, args, settings)
    if not build.succeeded:
        retried = _build_holding_back(context, dbt, settings, build, rules_changed, fingerprint)
        if retried is None:  # the night fails, showing what failed
            context.log.error(_stage_line(build, started, settings, context.run.run_id))
            yield from build.events
            raise build.invocation.get_error() or RuntimeError("dbt build failed")
        build = retried
    context.log.info(_stage_line(build, started, settings, context.run.run_id))
    with settings.connect_build_file() as connection:
        events = with_row_counts(build.events, connection, context.assets_def.keys_by_output_name)
        # a run of some models only (a subset picked in the UI) built the others neither from
        # tonight's files nor under tonight's rules: the next whole night must still do both
        if not context.is_subset:
            store_fingerprint(connection, fingerprint)
            record_built_files(connection)
            store_build_inputs(connection, build_inputs(connection, fingerprint))
        compacting = rules_changed or compaction_due(connection)
    if compacting:
        compaction_started = time.monotonic()
        compact(settings)
        context.log.info(f"build file compacted ({time.monotonic() - compaction_started:.1f} s)")
    yield from events


def _last_gate_results(context: AssetExecutionContext) -> list[AssetCheckResult] | None:
    """Each gate of the step as it last ended, in the run that evaluated it (a night with
    nothing new: the tables are those it read); None when a gate has no evaluation on record."""
    storage = context.instance.event_log_storage
    ended = {AssetCheckExecutionRecordStatus.SUCCEEDED, AssetCheckExecutionRecordStatus.FAILED}
    results = []
    for check_key in sorted(context.selected_asset_check_keys, key=str):
        history = storage.get_asset_check_execution_history(check_key, limit=1, status=ended)
        if not history or history[0].event is None or history[0].event.dagster_event is None:
            return None
        evaluation = history[0].event.dagster_event.event_specific_data
        results.append(
            AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=evaluation.passed,
                severity=evaluation.severity,
                description=evaluation.description,
                metadata={**evaluation.metadata, "evaluated in run": history[0].run_id},
            )
        )
    return results


def _unchanged_outputs(context: AssetExecutionContext, gates: list[AssetCheckResult]):
    """Each table of the build as it stands, for a night with nothing new, upstream before
    downstream (as Dagster takes a multi-asset's outputs), each followed by its gates as they
    last ended: the publish steps run as on any night, and copy what the last build made and
    gated."""
    assets_def = context.assets_def
    selected = context.selected_asset_keys
    # the gates on sources (raw tables the landing step writes) first
    yield from (gate for gate in gates if gate.asset_key not in selected)
    upstream = {key: assets_def.asset_deps.get(key, set()) & selected for key in selected}
    for key in TopologicalSorter(upstream).static_order():
        yield Output(
            None,
            output_name=assets_def.get_output_name_for_asset_key(key),
            metadata={"dbt": "not built tonight: nothing new since the last build"},
        )
        yield from (gate for gate in gates if gate.asset_key == key)


def _stage_line(build: _Build, started: float, settings: Settings, run_id: str) -> str:
    """The operator's line for the dbt stage: what it did, how long it took, where its log is."""
    return (
        f"dbt: {build.summary()} ({time.monotonic() - started:.1f} s); "
        f"dbt's log: {dbt_log_path(settings, run_id)}"
    )
