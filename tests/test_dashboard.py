"""The dashboard, provisioned from the repository into Superset and read in headless Chromium:
its figures are the marts' figures, and after another night a reload shows the new ones (no
pooled connection keeps the file that the publish replaced)."""

from __future__ import annotations

import os

import duckdb
import pytest
from dagster import DagsterInstance

from dashboard.browser import (
    chromium,
    free_port,
    log_in,
    open_dashboard,
    screenshot,
    served_dashboard,
)
from orchestration.defs.run_nightly import run_nightly
from tests.conftest import isolated_warehouse

ADMIN = ("dashboard-test-admin", "not-the-default-password")
NEW_INDICATOR_CSV = (
    b"value,type,first_seen,last_seen,confidence,tlp,comment\n"
    b"dashboard-reload-check.example,domain,2026-11-06T08:00:00Z,2026-11-06T09:00:00Z,80,"
    b"TLP:GREEN,a new domain on the day after\n"
)


def _marts(db_path, sql: str):
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).fetchone()[0]


def _chart_texts(browser) -> dict[str, str]:
    """Each chart's rendered text, keyed by the chart's title (its first line)."""
    from selenium.webdriver.common.by import By

    texts = {}
    for holder in browser.find_elements(By.CSS_SELECTOR, ".dashboard-component-chart-holder"):
        title, _, body = holder.text.partition("\n")
        texts[title.strip()] = body
    return texts


def _night(warehouse) -> None:
    result = run_nightly(DagsterInstance.ephemeral(), warehouse=warehouse.config)
    assert result.success


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    warehouse = isolated_warehouse(tmp_path_factory.mktemp("dashboard"))
    warehouse.copy_sample_drops()
    _night(warehouse)
    return warehouse


def test_the_dashboard_shows_the_marts_and_the_next_nights_figures(published, tmp_path):
    db_path = published.db_path
    env = {
        **os.environ,
        "SUPERSET_ADMIN_USER": ADMIN[0],
        "SUPERSET_ADMIN_PASSWORD": ADMIN[1],
        "SUPERSET_SECRET_KEY": "a-test-only-secret-key-of-some-length",
    }
    partners = _marts(
        db_path, "select count(distinct partner_id) from marts.mart_partner_capability"
    )
    lockbit_victims = _marts(
        db_path,
        "select sum(victim_count) from marts.mart_impact_monthly where actor_name = 'LockBit'",
    )
    reported = _marts(db_path, "select count(*) from marts.mart_indicator_reports")
    assert partners >= 5 and lockbit_victims > 0 and reported > 0

    with served_dashboard(db_path, tmp_path / "superset", free_port(), env) as url:
        browser = chromium()
        try:
            log_in(browser, url, *ADMIN)
            open_dashboard(browser, url)
            shot = screenshot(browser, tmp_path / "dashboard.png")
            charts = _chart_texts(browser)

            assert shot.stat().st_size > 50_000  # a drawn page, not a blank one
            assert charts["Partners"].split() == [str(partners)]
            assert charts["Indicators reported"].split() == [str(reported)]
            victims_by_actor = charts["Victims by actor"].splitlines()
            lockbit = victims_by_actor.index("LockBit")
            assert victims_by_actor[lockbit + 1] == str(lockbit_victims)

            # the next night: one more file, one more indicator report; the page is reloaded
            published.drop(
                "harbor-isp", "2026-11-07", "harbor-iocs-20261107.csv", NEW_INDICATOR_CSV
            )
            _night(published)
            reported_after = _marts(db_path, "select count(*) from marts.mart_indicator_reports")
            assert reported_after == reported + 1

            open_dashboard(browser, url)
            assert _chart_texts(browser)["Indicators reported"].split() == [str(reported_after)]
        finally:
            browser.quit()
