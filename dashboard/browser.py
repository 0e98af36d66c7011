"""The dashboard in a real browser (Debian's headless Chromium through Selenium): log in, open
the dashboard, wait until every chart has drawn, read the page and take a screenshot. Used by
the browser test and by `make dashboard-screenshot`."""

from __future__ import annotations

import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.spec import CHARTS, DASHBOARD

REPO_ROOT = Path(__file__).resolve().parent.parent
SUPERSET_PYTHON = REPO_ROOT / ".superset" / "venv" / "bin" / "python"
# how long the server may take to set Superset up, provision it and answer
READY_TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _read_lines(stream, lines: queue.Queue) -> None:
    """Every line of the server's output, then None when it closes."""
    for line in stream:
        lines.put(line)
    lines.put(None)


@contextmanager
def served_dashboard(db_path: Path, home: Path, port: int, env: dict[str, str]):
    """`dashboard.serve` in its own environment until the block ends; yields the base URL."""
    server = subprocess.Popen(
        [str(SUPERSET_PYTHON), "-m", "dashboard.serve"]
        + ["--db-path", str(db_path), "--home", str(home), "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_read_lines, args=(server.stdout, lines), daemon=True).start()
    try:
        seen: list[str] = []
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not (seen and seen[-1].startswith("dashboard ready:")):
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise RuntimeError(
                    f"the dashboard server was not ready in {READY_TIMEOUT_S} s:\n"
                    + "".join(seen[-40:])
                ) from None
            if line is None:
                raise RuntimeError("the dashboard server stopped:\n" + "".join(seen[-40:]))
            seen.append(line)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=60)


def chromium() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1600,2300")
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver), options=options)


def log_in(browser: webdriver.Chrome, url: str, user: str, password: str) -> None:
    browser.get(f"{url}/login/")
    wait = WebDriverWait(browser, 60)
    wait.until(expected_conditions.presence_of_element_located((By.ID, "username")))
    browser.find_element(By.ID, "username").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "password").submit()
    wait.until(lambda b: "/login" not in b.current_url)


def open_dashboard(browser: webdriver.Chrome, url: str, timeout: float = 120) -> str:
    """Load the dashboard and wait until every chart has rendered; the page's text."""
    browser.get(f"{url}/superset/dashboard/{DASHBOARD['slug']}/")

    plots = sum(1 for chart in CHARTS if chart["viz_type"].startswith("echarts"))

    def drawn(b: webdriver.Chrome) -> bool:
        slices = b.find_elements(By.CSS_SELECTOR, ".chart-slice")
        loading = b.find_elements(By.CSS_SELECTOR, ".loading")
        canvases = b.find_elements(By.CSS_SELECTOR, ".chart-slice canvas")
        text = b.find_element(By.TAG_NAME, "body").text
        return (
            len(slices) == len(CHARTS)
            and not loading
            and len(canvases) >= plots
            and all(chart["name"] in text for chart in CHARTS)
        )

    WebDriverWait(browser, timeout, poll_frequency=1).until(drawn)
    time.sleep(2)  # the last chart's animation
    return browser.find_element(By.TAG_NAME, "body").text


def screenshot(browser: webdriver.Chrome, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(path))
    return path


if __name__ == "__main__":  # make dashboard-screenshot: DB_PATH OUT.png
    import os

    from dashboard.serve import credentials

    db, out = Path(sys.argv[1]), Path(sys.argv[2])
    home = REPO_ROOT / ".superset" / "screenshot-home"
    with served_dashboard(db, home, free_port(), dict(os.environ)) as base:
        browser = chromium()
        try:
            log_in(browser, base, *credentials())
            open_dashboard(browser, base)
            print(screenshot(browser, out))
        finally:
            browser.quit()
