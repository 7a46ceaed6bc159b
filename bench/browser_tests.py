"""Time the browser tests (tests/browser/) that `make test` runs on each database: the time they add to the suite.

    .venv/bin/python bench/browser_tests.py            # SQLite (the suite's in-memory test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/improvement_bench .venv/bin/python bench/browser_tests.py

Prints each module's wall time and test count, and the slowest tests. Not part of the suite: the numbers depend on
the machine and on what else it is running (a suite never fails on timing).
"""

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["tests/browser/test_journeys.py", "tests/browser/test_accessibility.py"]


def run(module):
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "--durations=5", module],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    counts = re.findall(r"(\d+) (passed|failed|skipped|error)", result.stdout)
    slowest = [line for line in result.stdout.splitlines() if re.match(r"^\d+\.\d+s (call|setup)", line)]
    return seconds, counts, slowest


def main():
    total = 0.0
    for module in MODULES:
        seconds, counts, slowest = run(module)
        total += seconds
        print(f"{module}: {seconds:.0f} s, " + ", ".join(f"{n} {word}" for n, word in counts))
        for line in slowest:
            print(f"    {line}")
    print(f"Browser tests in all: {total:.0f} s on this database ({total / 60:.1f} min)")


if __name__ == "__main__":
    main()
