"""Parse and land delivered files, one file per task, sharing the work with worker processes
when the night is big.

Parsing is Python-bound, so on a machine with several cores the files of a night are shared
between the main process and worker processes; each parses its file and writes its own
landing Parquet, and only a small `FileOutcome` comes back. Workers are forked from a
`forkserver` that has already imported this module, so each costs milliseconds to start; the
server itself is started early (`prepare_workers`), and the main process parses while it starts.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import multiprocessing
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing import forkserver
from pathlib import Path

from orchestration.landing.formats.context import ParseContext
from orchestration.landing.formats.detect import describe_unknown, detect_format
from orchestration.landing.formats.fields import FieldVocabulary
from orchestration.landing.formats.parsers import PARSERS
from orchestration.landing.formats.records import FileRejected
from orchestration.landing.formats.text import as_utf8
from orchestration.landing.landing_zone import land_records

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LandingTask:
    """One delivered file to parse and land (picklable: it travels to a worker process)."""

    path: Path
    relative_path: str
    file_sha256: str
    partner_id: str
    delivered_on: date
    landing_dir: Path
    vocabulary: FieldVocabulary

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file: `loaded`, `empty` or `rejected`, and why."""

    format: str | None
    status: str
    error: str | None = None
    records: int = 0
    peak_rss_mb: float = 0.0  # of the process that landed it, once it had


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing builds hundreds of thousands of small objects that all stay alive until they are
    landed; the cyclic garbage collector would rescan them over and over for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def land_file(task: LandingTask) -> FileOutcome:
    """Read, detect, parse and land one file. Never raises for a bad file."""
    outcome = _land_file(task)
    return dataclasses.replace(outcome, peak_rss_mb=_peak_rss_mb())


def _land_file(task: LandingTask) -> FileOutcome:
    try:
        data = task.path.read_bytes()
    except OSError as exc:
        return FileOutcome(None, "rejected", f"cannot be read: {exc.strerror}")
    if hashlib.sha256(data).hexdigest() != task.file_sha256:
        return FileOutcome(
            None,
            "rejected",
            "file changed while it was being ingested (its bytes no longer match the sha256 "
            "registered for it); its new content is read on the next run",
        )
    data = as_utf8(data)
    file_format = detect_format(data)
    if file_format == "empty":
        return FileOutcome(file_format, "empty")
    parser = PARSERS.get(file_format)
    if parser is None:
        return FileOutcome(
            file_format,
            "rejected",
            f"no parser for format {file_format!r}: {describe_unknown(data)}",
        )
    with _collector_paused():
        try:
            records = parser(data, ParseContext(task.partner_id, task.vocabulary))
        except FileRejected as exc:
            return FileOutcome(file_format, "rejected", str(exc))
        except Exception as exc:  # a parser bug must not stop the night: register and go on
            log.exception("parser %s failed on %s", file_format, task.relative_path)
            return FileOutcome(
                file_format,
                "rejected",
                # the exception's text may quote the content: only its kind is named
                f"{file_format} parser failed ({type(exc).__name__})",
            )
        del data
        if not records:
            return FileOutcome(file_format, "empty", "no records (header or structure only)")
        land_records(
            task.landing_dir,
            records,
            file_sha256=task.file_sha256,
            partner_id=task.partner_id,
            delivered_on=task.delivered_on,
            source_format=file_format,
        )
    return FileOutcome(file_format, "loaded", records=len(records))


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def prepare_workers(expected_bytes: int, workers: int, parallel_min_bytes: int) -> None:
    """Start the fork server in the background if this night looks big enough to need it."""
    if workers > 1 and expected_bytes >= parallel_min_bytes:
        _context()
        forkserver.ensure_running()


def start_workers(workers: int) -> float:
    """Start the fork server and wait until it can fork workers; returns the seconds it took.

    A long-running process (or a benchmark) calls this once up front, as it imports its
    modules; `land_files` then starts its workers in milliseconds."""
    started = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
            pool.submit(os.getpid).result()
    return time.perf_counter() - started


def _land_shared(
    tasks: Sequence[LandingTask], helpers: int
) -> tuple[dict[str, FileOutcome], list[LandingTask]]:
    """Land the tasks with `helpers` worker processes and the main process taking turns from
    one queue (largest first), so the main process works while the workers start.

    Returns the outcomes, and the tasks a dead worker left unfinished. An error that is not a
    file's fault (the landing zone cannot be written) is raised, as in the main process.
    """
    queue, lock = deque(tasks), threading.Lock()
    outcomes: dict[str, FileOutcome] = {}
    unfinished: list[LandingTask] = []
    failures: list[Exception] = []

    def take() -> LandingTask | None:
        with lock:
            return queue.popleft() if queue else None

    with ProcessPoolExecutor(max_workers=helpers, mp_context=_context()) as pool:

        def feed() -> None:
            """Give a worker the next task; called again each time one of its tasks is done."""
            task = take()
            if task is None:
                return
            try:
                future = pool.submit(land_file, task)
            except (BrokenProcessPool, RuntimeError):
                unfinished.append(task)
                return
            future.add_done_callback(lambda done: collect(done, task))

        def collect(done: Future, task: LandingTask) -> None:
            try:
                outcomes[task.file_sha256] = done.result()
            except BrokenProcessPool:
                unfinished.append(task)
                return
            except Exception as exc:  # not the file's fault (the landing zone cannot be written)
                failures.append(exc)
                return
            feed()

        # The main process takes the largest file; starting a worker waits for the fork
        # server to be ready, so a thread waits for it meanwhile.
        task = take()
        starter = threading.Thread(target=lambda: [feed() for _ in range(helpers)], daemon=True)
        starter.start()
        while task is not None:
            outcomes[task.file_sha256] = land_file(task)
            task = take()
        starter.join()
    if failures:  # as when the main process fails to land a file: the run fails, saying why
        raise failures[0]
    return outcomes, unfinished


def _land_alone(task: LandingTask) -> FileOutcome:
    """Land one task in a worker process of its own; reject it if that process dies."""
    with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
        try:
            return pool.submit(land_file, task).result()
        except BrokenProcessPool:
            return FileOutcome(
                None,
                "rejected",
                "the worker process parsing it died (out of memory or a crash in a native "
                "library); nothing of it was landed",
            )


def land_files(
    tasks: Sequence[LandingTask], workers: int, parallel_min_bytes: int
) -> tuple[dict[str, FileOutcome], int]:
    """Land every task: the outcome per file sha256, and how many processes shared the work
    (up to `workers`, used when the night has at least `parallel_min_bytes` to parse).

    If a worker process dies (killed for memory, a crash in a native library), each task it
    left unfinished is run again in a worker of its own, so only the file that kills its worker
    is rejected, with that reason, and the rest of the night lands.
    """
    workers = min(workers, len(tasks))
    sizes = {task.file_sha256: task.size for task in tasks}
    if workers <= 1 or sum(sizes.values()) < parallel_min_bytes:
        return {task.file_sha256: land_file(task) for task in tasks}, 1

    largest_first = sorted(tasks, key=lambda task: -sizes[task.file_sha256])
    outcomes, unfinished = _land_shared(largest_first, helpers=workers - 1)
    for task in unfinished:
        log.warning("a landing worker died; landing %s again on its own", task.relative_path)
        outcomes[task.file_sha256] = _land_alone(task)
    return outcomes, workers
