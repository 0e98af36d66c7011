"""Landing throughput per partner format, on large synthetic drops.

    python bench/landing_benchmark.py [--records N] [--seed S] [--work-dir DIR]

Generates about N records of synthetic drops (`orchestration.tools.synthetic_drops`), then for each
format runs the real path, `orchestration.landing.ingest.ingest_drops`, on a drops folder that holds
only that format's files, into a fresh landing zone, in a fresh subprocess (so that the peak RSS
is that format's own), `--repeat` times; it reports the median, since timings on a shared
virtual machine vary by tens of percent from run to run. Finally it rebuilds the raw tables
from all landed files with `orchestration.landing.landing_zone.load_raw_tables` into a DuckDB
file. It prints figures next to the targets; it never asserts timings.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("stix21", "misp", "csv", "jsonl", "xlsx", "operation_report")
# format -> (unit, target): JSON documents by bytes, line formats by records
TARGETS = {
    "stix21": ("MB/s", 100.0),
    "misp": ("MB/s", 100.0),
    "csv": ("rec/s", 500_000.0),
    "jsonl": ("rec/s", 500_000.0),
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- workers, each run in its own process ------------------------------------------------


def _measure_ingest(drops_dir: Path, work_dir: Path) -> dict[str, object]:
    from orchestration.defs.resources import WarehouseConfig
    from orchestration.landing.file_landing import start_workers
    from orchestration.landing.ingest import ingest_drops

    # the environment's tunables (CCW_INGEST_WORKERS, ...), the benchmark's own folders
    settings = dataclasses.replace(
        WarehouseConfig.from_environment().resolve(),
        drops_dir=drops_dir,
        db_path=work_dir / "unused.duckdb",
        landing_dir=work_dir / "landing",
        build_db_path=work_dir / "build" / "unused.duckdb",
    )
    workers_up = start_workers(settings.ingest_workers)
    baseline = _peak_rss_mb()
    started = time.perf_counter()
    summary = ingest_drops(settings)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "records": sum(e.records_received for e in summary.new_entries),
        "statuses": summary.status_counts,
        "formats": sorted({e.format or "?" for e in summary.new_entries}),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _peak_rss_mb(),
        "landing_peak_rss_mb": summary.peak_rss_mb,  # any process that landed a file
        "processes": summary.processes,
        "workers_up_seconds": workers_up,
    }


def _measure_load(landing_dir: Path, db_path: Path) -> dict[str, object]:
    import duckdb

    from orchestration.landing.landing_zone import load_raw_tables

    baseline = _peak_rss_mb()
    started = time.perf_counter()
    with duckdb.connect(str(db_path)) as connection:
        files, per_format = load_raw_tables(
            connection, landing_dir, landing_dir / "registry.parquet"
        )
    records = sum(per_format.values())
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "files": files,
        "records": records,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _run_worker(*args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if completed.returncode:
        raise SystemExit(f"benchmark worker {args[0]} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- the benchmark ----------------------------------------------------------------------


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _merge_landing(landings: list[Path], merged: Path) -> None:
    """One landing zone holding every format's landed files and registry rows."""
    from orchestration.landing.registry import read_registry, write_registry

    entries = []
    for landing in landings:
        for parquet in (landing / "records").glob("*.parquet"):
            _link(parquet, merged / "records" / parquet.name)
        entries += read_registry(landing / "registry.parquet")
    write_registry(merged / "registry.parquet", entries)


def _verdict(fmt: str, mb_per_s: float, records_per_s: float) -> tuple[str, str]:
    if fmt not in TARGETS:
        return "-", ""
    unit, target = TARGETS[fmt]
    figure = mb_per_s if unit == "MB/s" else records_per_s
    shown = f">= {target:,.0f} {unit}"
    return shown, "met" if figure >= target else f"{figure / target:.0%} of it"


def run(records: int, seed: int, work_dir: Path, repeat: int) -> None:
    from orchestration.tools.synthetic_drops import generate_drops

    for owned in (work_dir / "drops", work_dir / "all-landing", *(work_dir / f for f in FORMATS)):
        shutil.rmtree(owned, ignore_errors=True)  # a kept --work-dir starts over
    (work_dir / "bench.duckdb").unlink(missing_ok=True)
    drops = work_dir / "drops"
    started = time.perf_counter()
    generated = generate_drops(drops, records, seed)
    print(
        f"generated {len(generated)} files, "
        f"{sum(f.path.stat().st_size for f in generated) / 1e6:,.1f} MB, "
        f"about {sum(f.records for f in generated):,} records "
        f"in {time.perf_counter() - started:.1f} s (seed {seed})\n"
    )

    header = (
        f"{'format':<17}{'files':>6}{'MB':>8}{'records':>10}{'seconds':>9}{'min-max':>12}"
        f"{'MB/s':>8}{'records/s':>11}{'procs':>6}{'up s':>6}{'with up':>10}"
        f"{'peak RSS MB':>12}{'any':>8}"
        f"{'start':>7}  {'target':<18}{'status'}"
    )
    print(header)
    print("-" * len(header))
    landings = []
    for fmt in FORMATS:
        files = [f for f in generated if f.file_format == fmt]
        if not files:
            continue
        fmt_dir = work_dir / fmt
        for f in files:
            _link(f.path, fmt_dir / "drops" / f.path.relative_to(drops))
        results = [
            _run_worker("--measure-ingest", str(fmt_dir / "drops"), str(fmt_dir / f"run-{n}"))
            for n in range(repeat)
        ]
        landings.append(fmt_dir / "run-0" / "landing")
        result = results[0]
        size_mb = sum(f.path.stat().st_size for f in files) / 1e6
        runs = sorted(r["seconds"] for r in results)
        seconds = statistics.median(runs)
        mb_per_s, records_per_s = size_mb / seconds, result["records"] / seconds
        target, status = _verdict(fmt, mb_per_s, records_per_s)
        up = statistics.median(r["workers_up_seconds"] for r in results)
        unit = TARGETS.get(fmt, ("",))[0]
        amount = size_mb if unit == "MB/s" else result["records"]
        with_up = f"{amount / (seconds + up):,.0f}" if unit else "-"
        print(
            f"{fmt:<17}{len(files):>6}{size_mb:>8,.1f}{result['records']:>10,}{seconds:>9.2f}"
            f"{f'{runs[0]:.2f}-{runs[-1]:.2f}':>12}{mb_per_s:>8,.1f}{records_per_s:>11,.0f}"
            f"{max(r['processes'] for r in results):>6}"
            f"{up:>6.2f}{with_up:>10}"
            f"{max(r['peak_rss_mb'] for r in results):>12,.0f}"
            f"{max(r['landing_peak_rss_mb'] for r in results):>8,.0f}"
            f"{result['baseline_rss_mb']:>7,.0f}  {target:<18}{status}"
        )
        if result["formats"] != [fmt] or set(result["statuses"]) - {"loaded", "rejected"}:
            print(f"{'':<17}detected as {result['formats']}, statuses {result['statuses']}")

    merged = work_dir / "all-landing"
    _merge_landing(landings, merged)
    result = _run_worker("--measure-load", str(merged), str(work_dir / "bench.duckdb"))
    print(
        f"\nDuckDB load_raw_tables (all formats): {result['files']:,} registry rows, "
        f"{result['records']:,} landed records in {result['seconds']:.2f} s "
        f"({result['records'] / result['seconds']:,.0f} records/s), "
        f"peak RSS {result['peak_rss_mb']:,.0f} MB (at start {result['baseline_rss_mb']:,.0f} MB)"
    )
    print(
        f"\nseconds: median of {repeat} runs, each in a fresh process into a fresh landing zone "
        "(min-max: fastest and slowest); rates use the median. procs: processes that shared the "
        "parsing; up s: starting the worker processes (a fork server importing the parsers), "
        "done once per process before the timed call, like the main process's own imports; "
        "with up: the target's figure with that start added to the time (a bound: in a real night "
        "the main process parses while the workers start). "
        "peak RSS: ru_maxrss of the main process; any: the largest of all processes "
        "that landed files (main and workers); start: the main process just before the timed "
        "call (interpreter + imports). MB = 10^6 bytes of delivered files."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per format")
    parser.add_argument(
        "--work-dir", type=Path, help="keep drops and landing zones here (default: a temp dir)"
    )
    parser.add_argument("--measure-ingest", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-load", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_ingest:
        print(json.dumps(_measure_ingest(*args.measure_ingest)))
    elif args.measure_load:
        print(json.dumps(_measure_load(*args.measure_load)))
    elif args.work_dir:
        args.work_dir.mkdir(parents=True, exist_ok=True)
        run(args.records, args.seed, args.work_dir, args.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="ccw-bench-") as work_dir:
            run(args.records, args.seed, Path(work_dir), args.repeat)


if __name__ == "__main__":
    main()
