"""One writer at a time for the warehouse's files, across processes and Dagster instances.

Every step that writes the registry, the landing zone, the build file or the published files
holds an exclusive `flock` on a file beside the build file. Two nights started together take
turns, step by step; the second waits and says so once. The operating system releases the lock
when its process dies, so a killed night never blocks the next.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from orchestration.settings import Settings


@contextmanager
def warehouse_lock(settings: Settings, step: str, warn: Callable[[str], None]) -> Iterator[None]:
    path = settings.build_db_path.parent / ".warehouse.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            warn(f"{step} waits: another night is writing the warehouse ({path})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
