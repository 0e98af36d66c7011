"""The sha256 of every delivered file, read once.

Landing names a delivered file by its bytes (sha256), and every night looks at every file in
the drops folder, which only grows. Hashing them all again would make each night read every
byte ever delivered, not what it brings. So the landing zone keeps, per delivered path, the
sha256 with the file's identity when it was hashed: size, modification and change times (ns),
inode and device. A file whose identity is unchanged is not read again. On a local POSIX
filesystem any write to a file moves its change time, which no one can set back without the
clock (`touch` and `os.utime` set it to now), so new bytes are hashed again; what such a
filesystem cannot tell apart is kept from the record:
- a file changed within the clock's resolution of its hashing (git's "racy" files): a hash
  is kept only for a file whose change time is older than `SETTLED_SECONDS` when it is read;
- a file whose bytes, when landing read it, did not match its hash: the night forgets it
  (`forget`).
A drops folder on a filesystem that keeps no change time (some network or FUSE mounts) should
not trust these; deleting `file_hashes.parquet` makes the next night hash every file again,
as does an unreadable one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.landing.atomic_files import write_atomically

log = logging.getLogger(__name__)

# a file changed this recently may change again within its timestamps' resolution unseen
SETTLED_SECONDS = 2

FILE_HASHES_SCHEMA = pa.schema(
    [
        ("relative_path", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        # st_ino and st_dev are unsigned 64-bit numbers (FUSE and network mounts use them all)
        ("inode", pa.uint64()),
        ("device", pa.uint64()),
        ("file_sha256", pa.string()),
    ]
)

# what says a file is the one that was hashed: its columns, in `_identity`'s order
IDENTITY_COLUMNS = ("size", "mtime_ns", "ctime_ns", "inode", "device")
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
    """The hashes of the files under `drops_dir`, as `path` (the landing zone's
    `file_hashes.parquet`) keeps them: `sha256` reads a file only when it is new or changed,
    `save` keeps what the night learnt."""

    def __init__(self, path: Path, drops_dir: Path):
        self.path = path
        self.drops_dir = drops_dir
        self._known: dict[str, tuple[_Identity, str]] = {}
        self._tonight: dict[str, tuple[_Identity, str]] = {}
        self._forgotten: set[str] = set()
        if path.exists():
            try:
                rows = pq.read_table(path, schema=FILE_HASHES_SCHEMA).to_pylist()
            except (OSError, pa.ArrowException):
                log.warning("%s cannot be read: every delivered file is hashed again", path)
                rows = []
            for row in rows:
                identity = tuple(row[column] for column in IDENTITY_COLUMNS)
                self._known[row["relative_path"]] = (identity, row["file_sha256"])

    def sha256(self, path: Path, relative_path: str) -> str:
        """The file's sha256: the one recorded for it when its identity is unchanged, else
        read from its bytes (and recorded when the file was settled and did not change while
        it was read)."""
        before = _identity(path)
        known = self._known.get(relative_path)
        if known is not None and known[0] == before:
            self._tonight[relative_path] = known
            return known[1]
        settled = before[2] < time.time_ns() - SETTLED_SECONDS * 1_000_000_000
        sha = sha256_of(path)
        if settled and _identity(path) == before:
            self._tonight[relative_path] = (before, sha)
        return sha

    def forget(self, relative_path: str) -> None:
        """Keep no hash for this file: its bytes did not match it when landing read them."""
        self._tonight.pop(relative_path, None)
        self._forgotten.add(relative_path)

    def save(self) -> None:
        """Record the hashes of the files seen tonight and of those the night did not look
        at that are still delivered (a night over some delivery dates only); a file deleted
        or renamed since is dropped. A failure to write only means hashing again."""
        entries = dict(self._tonight)
        for relative_path, known in self._known.items():
            if (
                relative_path not in entries
                and relative_path not in self._forgotten
                and os.path.lexists(self.drops_dir / relative_path)
            ):
                entries[relative_path] = known
        if entries == self._known:
            return
        rows = [
            {
                "relative_path": relative_path,
                **dict(zip(IDENTITY_COLUMNS, identity, strict=True)),
                "file_sha256": sha,
            }
            for relative_path, (identity, sha) in sorted(entries.items())
        ]
        try:
            write_atomically(pa.Table.from_pylist(rows, schema=FILE_HASHES_SCHEMA), self.path)
        except (OSError, pa.ArrowException) as exc:
            log.warning("%s not written (%s): the next night hashes again", self.path, exc)
