"""SQL functions the normalization rules need and DuckDB does not have, registered on dbt's
DuckDB connections through dbt-duckdb's plugin hook (see `plugins:` in profiles.yml).

- `ccw_idna_host(host)`: an internationalised host name as punycode (IDNA 2008 / UTS 46).
- `ccw_ipv6(text)`: an IPv6 address or CIDR in its compressed canonical form.
- `ccw_victim_key(name)`: HMAC-SHA256 of a normalized victim name with the key from
  `CCW_VICTIM_KEY`, so victims can be matched across partners without their names.

Each returns NULL for input it cannot read, so the SQL can quarantine it with a reason.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
from typing import Any

import idna
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

log = logging.getLogger(__name__)

# For development and the sample data only: production sets CCW_VICTIM_KEY (see README).
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


def victim_key_secret() -> bytes:
    return os.environ.get("CCW_VICTIM_KEY", DEVELOPMENT_VICTIM_KEY).encode("utf-8")


def victim_key(name: str | None) -> str | None:
    if name is None:
        return None
    return hmac.new(victim_key_secret(), name.encode("utf-8"), hashlib.sha256).hexdigest()


def register_functions(connection: DuckDBPyConnection) -> None:
    """Register the functions on a DuckDB connection (also usable outside dbt)."""
    for name, function in (
        ("ccw_idna_host", idna_host),
        ("ccw_ipv6", ipv6_canonical),
        ("ccw_victim_key", victim_key),
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


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        if "CCW_VICTIM_KEY" not in os.environ:
            log.warning("CCW_VICTIM_KEY is not set: using the development key")

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register_functions(conn)
