"""The sha256 of every delivered file, read once.

Landing names a delivered file by its bytes (sha256), and every night looks at every file in
the drops folder, which only grows. Hashing them all again would make each night read every
byte ever delivered, not what it brings. So the landing zone keeps, per delivered path, the
sha256 with the file's identity when it was hashed: size, modification and change times (ns),
inode and device. A file whose identity is unchanged is not read again; any write to it moves
its change time, which no one can set back without the clock (`touch` and `os.utime` set it to
now), so new bytes are always hashed. A missing or unreadable record of hashes only means
reading every file again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.landing.atomic_files import write_atomically

log = logging.getLogger(__name__)

FILE_HASHES_SCHEMA = pa.schema(
    [
        ("relative_path", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("inode", pa.int64()),
        ("device", pa.int64()),
        ("file_sha256", pa.string()),
    ]
)

_Identity = tuple[int, int, int, int, int]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _identity(path: Path) -> _Identity:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


class FileHashes:
    """The hashes of the delivered files, as the landing zone's `file_hashes.parquet` keeps
    them; `sha256` reads a file only when it is new or changed, `save` keeps tonight's."""

    def __init__(self, path: Path):
        self.path = path
        self._known: dict[str, tuple[_Identity, str]] = {}
        self._tonight: dict[str, tuple[_Identity, str]] = {}
        if path.exists():
            try:
                rows = pq.read_table(path, schema=FILE_HASHES_SCHEMA).to_pylist()
            except (OSError, pa.ArrowException):
                log.warning("%s cannot be read: every delivered file is hashed again", path)
                rows = []
            for row in rows:
                identity = (
                    row["size"],
                    row["mtime_ns"],
                    row["ctime_ns"],
                    row["inode"],
                    row["device"],
                )
                self._known[row["relative_path"]] = (identity, row["file_sha256"])

    def sha256(self, path: Path, relative_path: str) -> str:
        """The file's sha256: the one recorded for it when its identity is unchanged, else
        read from its bytes (recorded only when the file did not change while it was read)."""
        before = _identity(path)
        known = self._known.get(relative_path)
        if known is not None and known[0] == before:
            self._tonight[relative_path] = known
            return known[1]
        sha = sha256_of(path)
        if _identity(path) == before:
            self._tonight[relative_path] = (before, sha)
        return sha

    def save(self, *, keep_unseen: bool) -> None:
        """Record the hashes of the files seen tonight, and with `keep_unseen` those of files
        the night did not look at (a night over some delivery dates only)."""
        entries = {**self._known, **self._tonight} if keep_unseen else self._tonight
        if entries == self._known:
            return
        rows = [
            {
                "relative_path": relative_path,
                "size": identity[0],
                "mtime_ns": identity[1],
                "ctime_ns": identity[2],
                "inode": identity[3],
                "device": identity[4],
                "file_sha256": sha,
            }
            for relative_path, (identity, sha) in sorted(entries.items())
        ]
        write_atomically(pa.Table.from_pylist(rows, schema=FILE_HASHES_SCHEMA), self.path)
