"""The whole night against a plain DuckDB reference, on synthetic partner drops.

    make bench-night                          # about 1M records
    BENCH_RECORDS=5000000 make bench-night    # more
    python bench/night_benchmark.py [--records N] [--repeat R] [--seed S] [--work-dir DIR]

Generates about N records with the project's seeded generator
(`orchestration.tools.synthetic_drops`) and a 1 % delta (the same generator, another seed,
delivered on a later day). Then, `--repeat` times, paired (one of each per round, each in a
fresh process):

- the reference: `bench/reference_indicators.sql`, one plain DuckDB script with no Dagster and
  no dbt, that reads the same raw files with DuckDB's own readers and writes the canonical,
  de-duplicated indicators;
- the nightly from scratch into a new warehouse (`run_nightly`, the job `make run` runs);
- a second nightly on that warehouse after the delta's files were delivered.

It prints the medians per phase (start-up, landing, dbt, publish, exports, reports), the ratios
to the reference, the peak RSS of each process and the sizes of the build and published files,
beside the targets. It checks that the reference and the nightly found the same distinct
indicators and says so. It asserts nothing: timings on a shared machine vary from run to run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from operator import itemgetter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SQL = Path(__file__).resolve().parent / "reference_indicators.sql"
DELTA_DAY = "2026-11-29"  # after every day the generator writes (FIRST_DAY + 0..27)
GIB = 1024.0
# issue targets, this machine: full night / reference by volume, delta / full, peak RSS (MiB)
FULL_RATIO_TARGET = {1_000_000: 5.0, 5_000_000: 3.0}
DELTA_SHARE_TARGET = 0.15
PEAK_RSS_TARGET_MB = 3 * GIB
# the night's steps (Dagster step keys) and the phase each one is
STEPS = {
    "partner_drops": "landing",
    "warehouse_dbt_assets": "dbt build",
    "published__warehouse": "publish",
    "published__public_export": "exports",
    "published__partner_reports": "reports",
}
PHASES = ("start-up", "landing", "dbt build", "publish", "exports", "reports")


def _peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def _folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


# --- the two measured processes ------------------------------------------------------------


def _reference(drops: Path, out: Path) -> dict[str, object]:
    import duckdb

    from orchestration.settings import REFERENCE_SEEDS_DIR
    from orchestration.sql.duckdb_functions import register_functions

    started = time.perf_counter()
    with duckdb.connect(str(out)) as connection:
        register_functions(connection)
        connection.execute("set variable drops = ?", [str(drops)])
        connection.execute("set variable seeds = ?", [str(REFERENCE_SEEDS_DIR)])
        connection.execute(REFERENCE_SQL.read_text(encoding="utf-8"))
        indicators = connection.execute("select count(*) from indicators").fetchone()[0]
    return {
        "seconds": time.perf_counter() - started,
        "indicators": indicators,
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
    }


def _night(drops: Path, warehouse_dir: Path) -> dict[str, object]:
    from dagster import DagsterEventType, DagsterInstance

    from orchestration.defs.dagster_home import write_dagster_home
    from orchestration.defs.resources import WarehouseConfig
    from orchestration.defs.run_nightly import hold_loaded_objects_out_of_collection, run_nightly

    hold_loaded_objects_out_of_collection()  # as the night's command does (run_nightly.main)
    # the warehouse's own Dagster home, kept between its nights, as an operator's is: its
    # event log, run storage and schedules are SQLite files, and every event is written there
    instance = DagsterInstance.from_config(str(write_dagster_home(warehouse_dir / ".dagster")))
    config = WarehouseConfig(drops_dir=str(drops), db_path=str(warehouse_dir / "ccw.duckdb"))
    result = run_nightly(instance, warehouse=config)
    if not result.success:
        raise SystemExit("the nightly failed: see its log above")
    settings = config.resolve()
    starts, steps, node_seconds = {}, {}, {}
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            starts[entry.step_key] = entry.timestamp
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            steps[entry.step_key] = entry.timestamp - starts[entry.step_key]
        metadata = _event_metadata(event)
        unique_id = metadata.get("unique_id")
        duration = metadata.get("Execution Duration")
        if unique_id is not None and duration is not None:  # one node may report twice
            node_seconds[str(unique_id.value)] = float(duration.value)
    figures = {
        "steps": steps,
        "dbt_node_seconds": {
            kind: sum(s for node, s in node_seconds.items() if node.startswith(f"{kind}."))
            for kind in ("model", "test")
        },
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
        "children_peak_rss_mb": _peak_rss_mb(resource.RUSAGE_CHILDREN),
        "build_bytes": settings.build_db_path.stat().st_size,
        "published_bytes": settings.db_path.stat().st_size,
        "export_bytes": _folder_bytes(settings.db_path.parent / "public"),
    }
    hold_loaded_objects_out_of_collection()
    return figures


def _event_metadata(event) -> dict:
    data = event.event_specific_data
    if hasattr(data, "materialization"):
        return dict(data.materialization.metadata)
    return dict(getattr(data, "metadata", None) or {})


def _in_subprocess(mode: str, *args: Path) -> dict[str, object]:
    """Run one measured process; returns its figures, with its wall time from exec to exit."""
    started = time.time()
    completed = subprocess.run(
        [sys.executable, __file__, mode, *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.time() - started
    if completed.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    if "steps" in figures:  # the night: start-up is everything that is not a step
        figures["start-up"] = wall - sum(figures["steps"].values())
    return figures


# --- the drops ------------------------------------------------------------------------------


def _generate(work_dir: Path, records: int, seed: int) -> tuple[Path, Path]:
    """The base drops and the delta's files, kept between invocations of the same size."""
    from orchestration.tools.synthetic_drops import generate_drops

    base = work_dir / f"drops-{records}-{seed}"
    delta = work_dir / f"delta-{records}-{seed}"
    if not (base / ".complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        generate_drops(base, records, seed)
        (base / ".complete").touch()
    if not (delta / ".complete").exists():
        shutil.rmtree(delta, ignore_errors=True)
        generated = delta / "generated"
        for file in generate_drops(generated, max(1, records // 100), seed + 1):
            target = delta / file.partner_id / DELTA_DAY / f"delta-{file.path.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            file.path.rename(target)
        shutil.rmtree(generated)
        (delta / ".complete").touch()
    return base, delta


def _deliver(source: Path, drops: Path) -> None:
    """Deliver the files under `source` into `drops` (hard links: nothing is copied)."""
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.name != ".complete":
            target = drops / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)


def _same_indicators(reference_db: Path, build_db: Path) -> tuple[int, int, int]:
    """(indicators in both, only in the reference, only in the nightly)."""
    import duckdb

    with duckdb.connect(str(reference_db), read_only=True) as connection:
        connection.execute(f"attach '{build_db}' as night (read_only)")
        nightly = (
            "select distinct indicator_type, value "
            "from night.intermediate.int_indicators_normalized"
        )
        reference = "select indicator_type, value from indicators"
        return tuple(
            connection.execute(f"select count(*) from ({sql})").fetchone()[0]
            for sql in (
                f"{reference} intersect {nightly}",
                f"{reference} except {nightly}",
                f"{nightly} except {reference}",
            )
        )


# --- the report -----------------------------------------------------------------------------


def _median(rounds: list[dict], key) -> float:
    return statistics.median(key(r) for r in rounds)


def _node_seconds(figures: dict, kind: str) -> float:
    return figures["dbt_node_seconds"][kind]


def _phase(figures: dict, phase: str) -> float:
    if phase == "start-up":
        return figures["start-up"]
    return sum(s for step, s in figures["steps"].items() if STEPS.get(step) == phase)


def _row(label: str, columns: list[list[dict] | None], key, unit: float = 1.0) -> str:
    """One table row: the median of `key` over the rounds of each column (None: not measured)."""
    cells = ["" if rounds is None else f"{_median(rounds, key) / unit:,.1f}" for rounds in columns]
    return f"| {label} | " + " | ".join(cells) + " |"


def _report(records: int, base: Path, delta: Path, rounds: list[dict], same) -> str:
    ref = [r["reference"] for r in rounds]
    full = [r["full"] for r in rounds]
    inc = [r["delta"] for r in rounds]
    nights = [None, full, inc]
    ref_wall = _median(ref, lambda f: f["wall"])
    full_wall = _median(full, lambda f: f["wall"])
    delta_wall = _median(inc, lambda f: f["wall"])
    lines = [
        f"records: about {records:,} ({_folder_bytes(base) / 1e6:,.0f} MB of drops); delta: "
        f"{_folder_bytes(delta) / 1e6:,.1f} MB delivered on {DELTA_DAY}; "
        f"medians of {len(rounds)} paired rounds, seconds, whole processes",
        "",
        "| phase | reference | full night | delta night |",
        "| --- | ---: | ---: | ---: |",
        *(_row(phase, nights, partial(_phase, phase=phase)) for phase in PHASES),
        *(
            _row(f"dbt {kind}s (sum over threads)", nights, partial(_node_seconds, kind=kind))
            for kind in ("model", "test")
        ),
        _row("**whole process**", [ref, full, inc], itemgetter("wall")),
        f"| ratio to the reference | 1.0 | {full_wall / ref_wall:.1f}x | "
        f"{delta_wall / ref_wall:.1f}x |",
        _row("peak RSS, main process (MB)", [ref, full, inc], itemgetter("peak_rss_mb")),
        _row(
            "peak RSS, largest child: dbt or a landing worker (MB)",
            nights,
            itemgetter("children_peak_rss_mb"),
        ),
        _row("build file (MB)", nights, itemgetter("build_bytes"), 1e6),
        _row("analysts' file (MB)", nights, itemgetter("published_bytes"), 1e6),
        _row("public export (MB)", nights, itemgetter("export_bytes"), 1e6),
        "",
    ]
    both, only_reference, only_nightly = same
    if only_reference or only_nightly:
        lines.append(
            f"indicators DIFFER: {both:,} in both, {only_reference:,} only in the reference, "
            f"{only_nightly:,} only in the nightly"
        )
    else:
        lines.append(f"indicators: the reference and the nightly found the same {both:,}")
    peak = max(
        _median(full, lambda f: max(f["peak_rss_mb"], f["children_peak_rss_mb"])),
        _median(inc, lambda f: max(f["peak_rss_mb"], f["children_peak_rss_mb"])),
    )
    target = FULL_RATIO_TARGET.get(records)
    lines += [
        "targets:",
        f"- full night / reference: {full_wall / ref_wall:.1f}x"
        + (f" (target <= {target:g}x at {records:,})" if target else " (targets at 1M and 5M)"),
        f"- delta night / full night: {delta_wall / full_wall:.0%} "
        f"(target <= {DELTA_SHARE_TARGET:.0%} at 5M)",
        f"- peak RSS of any process: {peak / GIB:.2f} GiB (target <= 3 GiB at 5M and 10M)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, default=int(os.environ.get("BENCH_RECORDS", 1_000_000))
    )
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 3)))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ccw-bench-night",
        help="drops are generated here once per size and seed; nights run here",
    )
    args = parser.parse_args(argv)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    print(f"generating about {args.records:,} records (seed {args.seed}) ...", flush=True)
    base, delta = _generate(args.work_dir, args.records, args.seed)
    rounds, same = [], None
    for round_number in range(1, args.repeat + 1):
        room = args.work_dir / "round"
        shutil.rmtree(room, ignore_errors=True)
        drops = room / "drops"
        _deliver(base, drops)
        figures = {"reference": _in_subprocess("--reference", drops, room / "reference.duckdb")}
        figures["full"] = _in_subprocess("--night", drops, room / "warehouse")
        if same is None:
            same = _same_indicators(
                room / "reference.duckdb", room / "warehouse" / "build" / "ccw.duckdb"
            )
        _deliver(delta, drops)
        figures["delta"] = _in_subprocess("--night", drops, room / "warehouse")
        rounds.append(figures)
        print(
            f"round {round_number}: reference {figures['reference']['wall']:.1f} s, "
            f"full night {figures['full']['wall']:.1f} s, "
            f"delta night {figures['delta']['wall']:.1f} s",
            flush=True,
        )
    print()
    print(_report(args.records, base, delta, rounds, same))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("--reference", "--night"):
        run = _reference if sys.argv[1] == "--reference" else _night
        print(json.dumps(run(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        main()
