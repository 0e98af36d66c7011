"""Provision the warehouse dashboard into a running Superset through its REST API: the
read-only database connection on the analysts' file, one dataset per question, the charts and
the dashboard. Idempotent: what exists (by name) is updated, nothing is created twice.

    python -m dashboard.provision --url http://localhost:8088 --db-path warehouse/ccw.duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import requests

from dashboard.spec import CHARTS, DASHBOARD, DATABASE_NAME, DATASETS, FILTERS


class Superset:
    """A logged-in session on Superset's REST API."""

    def __init__(self, url: str, username: str, password: str):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        login = self.session.post(
            f"{self.url}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": True},
            timeout=60,
        )
        login.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        csrf = self.session.get(f"{self.url}/api/v1/security/csrf_token/", timeout=60)
        csrf.raise_for_status()
        self.session.headers["X-CSRFToken"] = csrf.json()["result"]
        self.session.headers["Referer"] = self.url

    def _call(self, method: str, path: str, **kwargs) -> dict:
        response = self.session.request(method, f"{self.url}/api/v1/{path}", timeout=120, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else {}

    def find(self, resource: str, column: str, value: str) -> int | None:
        query = {"filters": [{"col": column, "opr": "eq", "value": value}], "page_size": 100}
        found = self._call("GET", f"{resource}/", params={"q": json.dumps(query)})
        ids = [row["id"] for row in found.get("result", [])]
        return ids[0] if ids else None

    def upsert(
        self, resource: str, column: str, body: dict, update: dict | None = None, query: str = ""
    ) -> int:
        """Create `body`, or update the one whose `column` has the same value (with `update`
        when an update takes another body than a creation, and `query` on its URL); its id."""
        existing = self.find(resource, column, body[column])
        if existing is None:
            return self._call("POST", f"{resource}/", json=body)["id"]
        self._call("PUT", f"{resource}/{existing}{query}", json=body if update is None else update)
        return existing


def database_body(db_path: Path) -> dict:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": f"duckdb:///{db_path.resolve()}",
        "expose_in_sqllab": True,
        # read-only; and no pool, which is Superset's default for a database (NullPool, kept
        # by leaving engine_params' poolclass alone): the nightly publish replaces the file,
        # and a pooled connection would go on reading yesterday's night (DuckDB hands a new
        # connection the instance already open for a path)
        "extra": json.dumps({"engine_params": {"connect_args": {"read_only": True}}}),
    }


def provision(superset: Superset, db_path: Path) -> int:
    """Everything of the dashboard; the dashboard's id."""
    database_id = superset.upsert("database", "database_name", database_body(db_path))
    dataset_ids = {}
    for name, sql in DATASETS.items():
        body = {"database": database_id, "schema": "marts", "table_name": name, "sql": sql}
        # an existing dataset takes its new SQL only, and its columns are read again
        update = {"sql": sql, "schema": "marts"}
        dataset_ids[name] = superset.upsert(
            "dataset", "table_name", body, update=update, query="?override_columns=true"
        )
        superset._call("PUT", f"dataset/{dataset_ids[name]}/refresh")
    dashboard_id = superset.upsert(
        "dashboard",
        "dashboard_title",
        {"dashboard_title": DASHBOARD["title"], "slug": DASHBOARD["slug"], "published": True},
    )
    chart_ids = []
    for chart in CHARTS:
        params = {**chart["params"], "datasource": f"{dataset_ids[chart['dataset']]}__table"}
        params["viz_type"] = chart["viz_type"]
        body = {
            "slice_name": chart["name"],
            "viz_type": chart["viz_type"],
            "datasource_id": dataset_ids[chart["dataset"]],
            "datasource_type": "table",
            "params": json.dumps(params),
            "dashboards": [dashboard_id],
        }
        chart_ids.append((superset.upsert("chart", "slice_name", body), chart))
    superset._call(
        "PUT",
        f"dashboard/{dashboard_id}",
        json={
            "position_json": json.dumps(DASHBOARD["layout"](chart_ids)),
            "json_metadata": json.dumps(
                {
                    "native_filter_configuration": [f(dataset_ids, chart_ids) for f in FILTERS],
                    "refresh_frequency": 0,
                    "color_scheme": "supersetColors",
                }
            ),
        },
    )
    return dashboard_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db-path", required=True, type=Path)
    args = parser.parse_args()
    superset = Superset(
        args.url,
        os.environ.get("SUPERSET_ADMIN_USER", "admin"),
        os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin"),
    )
    dashboard_id = provision(superset, args.db_path)
    print(f"dashboard: {args.url}/superset/dashboard/{DASHBOARD['slug']}/ (id {dashboard_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
