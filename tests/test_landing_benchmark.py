"""`make bench` keeps working: a tiny run lands every format and prints its figures."""

from tests.conftest import run_benchmark


def test_benchmark_prints_a_row_per_format_and_the_raw_rebuild(tmp_path):
    completed = run_benchmark("landing_benchmark.py", tmp_path, 3000)
    assert completed.returncode == 0, completed.stderr
    rows = {
        line.split()[0]: line.split()
        for line in completed.stdout.splitlines()
        if line.split() and line.split()[0] in {"stix21", "misp", "csv", "jsonl", "xlsx"}
    }
    assert set(rows) == {"stix21", "misp", "csv", "jsonl", "xlsx"}
    for fmt, cells in rows.items():
        assert int(cells[3].replace(",", "")) > 0, f"{fmt} landed no records"
    assert "detected as" not in completed.stdout  # every file kept its format and status
    assert "DuckDB load_raw_tables (all formats)" in completed.stdout
