"""Superset's configuration for the warehouse dashboard (read through SUPERSET_CONFIG_PATH).

Superset keeps its own metadata (users, charts, the dashboard) in SQLite under SUPERSET_HOME;
the warehouse is reached only through the database connection that `provision.py` creates,
read-only on the published analysts' file."""

import os
import sys

_home = os.environ["SUPERSET_HOME"]
_secret = os.environ.get("SUPERSET_SECRET_KEY")
if not _secret:
    print(
        "WARNING: SUPERSET_SECRET_KEY is not set: using the development key (never in production)",
        file=sys.stderr,
    )
SECRET_KEY = _secret or "ccw-development-only-secret-key-do-not-deploy"
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_home}/superset.db"
# a DuckDB file is a local path; Superset refuses file-based databases unless told otherwise
PREVENT_UNSAFE_DB_CONNECTIONS = False
# every chart query reads the published file anew: a cached result would keep yesterday's night
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
# local use: no example data, no telemetry
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS = {"DASHBOARD_NATIVE_FILTERS": True}
WTF_CSRF_ENABLED = True
TALISMAN_ENABLED = False
