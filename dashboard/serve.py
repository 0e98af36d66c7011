"""Set up Superset, provision the dashboard and serve it until Ctrl-C (what `make dashboard`
runs, with the dashboard's own Python): the metadata database is created or upgraded, the admin
user is created once, the dashboard is provisioned from `spec.py` on every start.

    python -m dashboard.serve --db-path warehouse/ccw.duckdb --home .superset [--port 8088]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboard.provision import Superset, provision
from dashboard.spec import DASHBOARD

CONFIG = Path(__file__).resolve().parent / "superset_config.py"
DEVELOPMENT_CREDENTIALS = ("admin", "admin")


def superset_environment(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SUPERSET_HOME": str(home),
        "SUPERSET_CONFIG_PATH": str(CONFIG),
        "FLASK_APP": "superset",
        "PYTHONUNBUFFERED": "1",
    }


def credentials() -> tuple[str, str]:
    user = os.environ.get("SUPERSET_ADMIN_USER")
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if not user or not password:
        print(
            "WARNING: SUPERSET_ADMIN_USER / SUPERSET_ADMIN_PASSWORD are not set: the admin is "
            f"{DEVELOPMENT_CREDENTIALS[0]} / {DEVELOPMENT_CREDENTIALS[1]} (development only)",
            file=sys.stderr,
        )
    return user or DEVELOPMENT_CREDENTIALS[0], password or DEVELOPMENT_CREDENTIALS[1]


def _superset(home: Path, *args: str) -> None:
    superset = Path(sys.executable).parent / "superset"
    done = subprocess.run(
        [str(superset), *args],
        env=superset_environment(home),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"superset {args[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def set_up(home: Path, user: str, password: str) -> None:
    """Metadata database at the current version, the admin, Superset's roles."""
    home.mkdir(parents=True, exist_ok=True)
    _superset(home, "db", "upgrade")
    marker = home / f".admin-{user}"
    if not marker.exists():
        _superset(
            home,
            "fab",
            "create-admin",
            "--username",
            user,
            "--password",
            password,
            "--firstname",
            "Warehouse",
            "--lastname",
            "Admin",
            "--email",
            f"{user}@localhost",
        )
        marker.touch()
    _superset(home, "init")


def wait_until_healthy(url: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"Superset exited with {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"Superset did not answer {url}/health within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-path", required=True, type=Path, help="the analysts' file")
    parser.add_argument("--home", required=True, type=Path, help="Superset's own state")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    args.home = args.home.resolve()  # Superset's metadata URI must not depend on its cwd
    if not args.db_path.exists():
        raise SystemExit(f"no analysts' file at {args.db_path}: run the nightly first (make run)")
    user, password = credentials()
    set_up(args.home, user, password)
    url = f"http://{args.host}:{args.port}"
    superset = Path(sys.executable).parent / "superset"
    server = subprocess.Popen(
        [str(superset), "run", "-h", args.host, "-p", str(args.port), "--with-threads"],
        env=superset_environment(args.home),
        stdout=subprocess.DEVNULL,
        stderr=(args.home / "superset.log").open("a"),
        start_new_session=True,
    )

    # Ctrl-C (SIGINT) or SIGTERM: the server's process group is stopped, then this exits 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    try:
        wait_until_healthy(url, server)
        provision(Superset(url, user, password), args.db_path.resolve())
        print(f"dashboard ready: {url}/superset/dashboard/{DASHBOARD['slug']}/", flush=True)
        print("Ctrl-C stops it", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        terminate(server)


def terminate(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
