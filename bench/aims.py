"""`make bench`: run every speed benchmark and print one table of figure, floor, ratio, aim and met.

Each benchmark listed in SCRIPTS prints, besides its own report, one line per figure:

    BENCH {"figure": "dashboard, 2,000 actions", "value": 0.142, "unit": "s",
           "floor": "same page, demo plan", "floor_value": 0.081, "ratio": 1.75,
           "aim": "<= 0.150 s and <= 2x floor", "met": true}

(see `report()` below, which the scripts call). The figures are the scripts' own; this only gathers them.
Timings are of this machine at this moment: run it on a quiet machine.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = "BENCH "

# Script and the arguments that give the figures; each runs in its own process and database.
SCRIPTS = [
    ["dashboard.py"],
    ["plans_page.py"],
    ["board_pack.py"],
    ["import_plan.py"],
    ["import_into_large_plan.py"],
    ["import_confirm.py"],
]
# PostgreSQL is the production database: the import, whose writes differ there (COPY), is also measured on it when
# a server answers at BENCH_POSTGRESQL_URL (a database of its own, made if missing).
POSTGRESQL_URL = os.environ.get("BENCH_POSTGRESQL_URL", "postgres://postgres@127.0.0.1:5432/bench_import")
ON_POSTGRESQL = [["import_plan.py"]]


def report(figure, value, unit, floor, floor_value, aim, met):
    """Print one figure in the form `aims.py` gathers (also readable on its own)."""
    ratio = round(value / floor_value, 2) if floor_value else None
    line = {
        "figure": figure,
        "value": round(value, 4),
        "unit": unit,
        "floor": floor,
        "floor_value": round(floor_value, 4) if floor_value is not None else None,
        "ratio": ratio,
        "aim": aim,
        "met": bool(met),
    }
    print(PREFIX + json.dumps(line), flush=True)


def run(script, database_url=None):
    started = time.monotonic()
    env = os.environ.copy()
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, str(HERE / script[0]), *script[1:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=HERE.parent,
    )
    seconds = time.monotonic() - started
    figures = [json.loads(line[len(PREFIX) :]) for line in done.stdout.splitlines() if line.startswith(PREFIX)]
    if done.returncode != 0 or not figures:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        figures.append(
            {
                "figure": f"{script[0]} failed (exit {done.returncode})",
                "value": None,
                "unit": "",
                "floor": " / ".join(tail)[:200],
                "floor_value": None,
                "ratio": None,
                "aim": "",
                "met": False,
            }
        )
    print(f"  {script[0]}: {len(figures)} figure(s) in {seconds:.0f} s", file=sys.stderr, flush=True)
    return figures


def postgresql_answers(url):
    """The server at `url` answers, and the database it names exists (made if it did not)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", connect_timeout=3, autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return False
    return True


def number(value, unit=""):
    if value is None:
        return "-"
    return f"{value:.3f} {unit}".strip() if isinstance(value, float) else f"{value} {unit}".strip()


def main(argv):
    def wanted(script):
        return not argv or script[0] in argv or script[0].removesuffix(".py") in argv

    rows = [figure for script in SCRIPTS if wanted(script) for figure in run(script)]
    on_postgresql = [script for script in ON_POSTGRESQL if wanted(script)]
    if on_postgresql and "DATABASE_URL" not in os.environ and postgresql_answers(POSTGRESQL_URL):
        rows += [figure for script in on_postgresql for figure in run(script, POSTGRESQL_URL)]
    headers = ["figure", "value", "floor", "floor value", "ratio", "aim", "met"]
    table = [
        [
            r["figure"],
            number(r["value"], r["unit"]),
            r["floor"],
            number(r["floor_value"], r["unit"]),
            "-" if r["ratio"] is None else f"{r['ratio']:.2f}x",
            r["aim"],
            "yes" if r["met"] else "NO",
        ]
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(len(headers))]
    for row in [headers, ["-" * w for w in widths], *table]:
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    met = sum(1 for r in rows if r["met"])
    print(f"\n{met} of {len(rows)} aims met.")


if __name__ == "__main__":
    main(sys.argv[1:])
