"""Dagster's SQLite event log, with its database connections kept open between events.

Dagster's own `SqliteEventLogStorage` creates and disposes an engine, and so opens and closes
the database file, for every event it stores (twice for an asset event). A night stores about
a thousand events (every dbt model and test is a materialization or a check, planned and then
reported): on this machine that was 5 s before the first step and 10 s after dbt, a quarter of
a sample night. This storage keeps one engine per database file with its connection pooled
(the storage's lock already serializes their use) and writes with `synchronous=NORMAL` under
Dagster's WAL journal: a crash may lose the last events of a run, never corrupt the file, and
these files are run history, not warehouse data.

Each Dagster home's dagster.yaml names it, with `base_dir` Dagster's usual
`<home>/history/runs` (`orchestration/defs/dagster_home.py` writes that file).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy
from dagster import Field, StringSource

# Dagster's SQLite storage and its configurable-class plumbing (not public API: the subclass
# keeps every behaviour but how it connects)
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClass, ConfigurableClassData


def _normal_sync(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class KeptOpenSqliteEventLogStorage(SqliteEventLogStorage, ConfigurableClass):
    """SqliteEventLogStorage whose engines (one per run database and the index) live as long
    as the storage."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: dict[str, sqlalchemy.Engine] = {}
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Field]:
        return {"base_dir": Field(StringSource)}

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, Any]
    ) -> KeptOpenSqliteEventLogStorage:
        return cls(config_value["base_dir"], inst_data=inst_data)

    def _engine(self, shard: str) -> sqlalchemy.Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = sqlalchemy.create_engine(
                self.conn_string_for_shard(shard),
                # one connection per file, used under the storage's lock from any thread
                pool_size=1,
                connect_args={
                    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                    "check_same_thread": False,
                },
            )
            sqlalchemy.event.listen(engine, "connect", _normal_sync)
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sqlalchemy.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def dispose(self) -> None:
        super().dispose()
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
