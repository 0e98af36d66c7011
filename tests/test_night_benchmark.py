"""`make bench-night` keeps working: a tiny run measures the reference, a full night and a
delta night, and finds the same indicators as the nightly."""

import re

from tests.conftest import run_benchmark


def test_night_benchmark_prints_every_phase_and_agrees_with_the_nightly(tmp_path):
    completed = run_benchmark("night_benchmark.py", tmp_path, 3000)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    rows = {
        cells[0]: cells[1:]
        for line in completed.stdout.splitlines()
        if line.startswith("| ")
        for cells in [[cell.strip().replace(",", "") for cell in line.strip("|").split("|")]]
    }
    for phase in ("start-up", "landing", "dbt build", "publish", "exports", "reports"):
        full, delta = rows[phase][1:]
        assert float(full) > 0 and float(delta) > 0, phase
    reference, full, delta = (float(cell) for cell in rows["**whole process**"])
    assert reference > 0 and full > 0 and delta > 0
    assert float(rows["analysts' file (MB)"][1]) > 0
    # the reference is checked against the nightly, not trusted
    found = re.search(r"the reference and the nightly found the same ([\d,]+)", completed.stdout)
    assert found, completed.stdout[-2000:]
    assert int(found.group(1).replace(",", "")) > 100
