"""SQL functions the normalization rules need and DuckDB does not have, registered on dbt's
DuckDB connections through dbt-duckdb's plugin hook (see `plugins:` in profiles.yml).

- `ccw_idna_host(host)`: an internationalised host name as punycode (IDNA 2008 / UTS 46).
- `ccw_ipv6(text)`: an IPv6 address or CIDR in its compressed canonical form.
- `ccw_stix_pattern(pattern)`: the observable comparisons of a STIX 2.1 pattern as JSON, or
  the place of its syntax error (see `stix_patterns`).
- `ccw_victim_key(name)`: HMAC-SHA256 of a normalized victim name with the partnership's
  secret key (read from the environment by the plugin), so victims can be matched across
  partners without their names.

Each returns NULL for input it cannot read, so the SQL can quarantine it with a reason. The
SQL macros of the normalization rules (times, confidence, type words, refang, canonical
indicator values) are in `duckdb_macros.sql`, created once per connection in an in-memory
catalog of their own (`ccw_rules`) that every cursor of the connection reads through its
search path: dbt opens a cursor per node, and creating the macros on each took about 11 ms.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import idna
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

from orchestration.settings import VICTIM_KEY_VARIABLE
from orchestration.sql.stix_patterns import pattern_comparisons_json

log = logging.getLogger(__name__)

# For development and the sample data only: production sets its own key (see README).
DEVELOPMENT_VICTIM_KEY = "ccw-development-key-not-for-production"


def idna_host(host: str | None) -> str | None:
    if host is None:
        return None
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def ipv6_canonical(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        if "/" in text:
            return ipaddress.IPv6Network(text, strict=False).compressed
        return ipaddress.IPv6Address(text).compressed
    except ValueError:
        return None


def victim_key_function(secret: str) -> Callable[[str | None], str | None]:
    key = secret.encode("utf-8")

    def victim_key(name: str | None) -> str | None:
        if name is None:
            return None
        return hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()

    return victim_key


MACROS_SQL = Path(__file__).with_name("duckdb_macros.sql")


def register_functions(
    connection: DuckDBPyConnection, victim_key: str = DEVELOPMENT_VICTIM_KEY
) -> None:
    """Register the functions and macros on a DuckDB connection (also usable outside dbt)."""
    for name, function in (
        ("ccw_idna_host", idna_host),
        ("ccw_ipv6", ipv6_canonical),
        ("ccw_victim_key", victim_key_function(victim_key)),
        ("ccw_stix_pattern", pattern_comparisons_json),
    ):
        connection.create_function(
            name,
            function,
            [VARCHAR],
            VARCHAR,
            null_handling="special",
            exception_handling="return_null",
            side_effects=False,
        )
    create_macros(connection)


RULES_CATALOG = "ccw_rules"


def create_macros(connection: DuckDBPyConnection) -> None:
    """Create the SQL macros in the in-memory catalog `ccw_rules`, attached to the connection's
    database instance (so to every cursor of it), and put it on the connection's search path.
    The connection must be able to attach: not opened read-only (attach a read-only file to
    an in-memory connection instead)."""
    catalog, schema = connection.execute("select current_database(), current_schema()").fetchone()
    connection.execute(f"attach if not exists ':memory:' as {RULES_CATALOG}")
    connection.execute(f"use {RULES_CATALOG}")
    try:
        connection.execute(MACROS_SQL.read_text(encoding="utf-8"))
    finally:
        connection.execute(f'use "{catalog}"."{schema}"')
    use_macros(connection)


def use_macros(cursor: DuckDBPyConnection) -> None:
    """Put the macros' catalog on a connection's or cursor's search path, after its own
    default schema (where unqualified tables are read and created, as before)."""
    catalog, schema = cursor.execute("select current_database(), current_schema()").fetchone()
    cursor.execute(f'set search_path = \'"{catalog}"."{schema}",{RULES_CATALOG}.main\'')


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        # The one variable read outside the configuration resource, on purpose: a secret that
        # must reach dbt's process without passing through a profile, an argument or a log.
        self.victim_key = os.environ.get(VICTIM_KEY_VARIABLE) or ""
        if not self.victim_key:
            log.warning("no victim key is set (see README): using the development key")
            self.victim_key = DEVELOPMENT_VICTIM_KEY

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register_functions(conn, self.victim_key)

    def configure_cursor(self, cursor: DuckDBPyConnection) -> None:
        use_macros(cursor)
