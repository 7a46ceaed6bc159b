"""Benchmark: importing 300 indicators x 60 months from a wide-layout workbook, next to openpyxl reading it alone.

Run from the project root:  .venv/bin/python bench/import_kpis.py [--indicators 300] [--months 60]
It uses a fresh SQLite database in a temporary folder unless DATABASE_URL is set (use a database
of your own: the script migrates it and writes KPIs into it).
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_workbook(path, indicators, months, sections=10):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "KPIs"
    first = dt.date(2014, 1, 1)
    month_dates = []
    for offset in range(months):
        index = first.year * 12 + first.month - 1 + offset
        month_dates.append(dt.date(index // 12, index % 12 + 1, 1))
    row = 1
    per_section = -(-indicators // sections)
    number = 0
    for section in range(sections):
        sheet.cell(row, 1, f"Section {section + 1}")
        row += 1
        sheet.cell(row, 1, "Indicator")
        for column, month in enumerate(month_dates, start=2):
            sheet.cell(row, column, f"{month:%b %y}")
        sheet.cell(row, months + 2, "Target")
        row += 1
        for _ in range(per_section):
            if number == indicators:
                break
            percent = number % 2 == 0
            sheet.cell(row, 1, f"{'%' if percent else 'No.'} indicator {number}")
            for column in range(2, months + 2):
                if percent:
                    sheet.cell(row, column, ((number + column) % 100) / 100).number_format = "0%"
                else:
                    sheet.cell(row, column, (number * 7 + column * 13) % 2000)
            sheet.cell(row, months + 2, "80%" if percent else "No Target")
            number += 1
            row += 1
        row += 1
    workbook.save(path)


def time_it(function, repeat=1):
    """The best of `repeat` runs: the machine is shared, and the best run is the one least disturbed."""
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return best, result


def openpyxl_alone(path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)  # the same mode the importer uses
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cells += cell.value is not None
    return cells


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--months", type=int, default=60)
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-kpis-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kpis.importing import kpis_import
    from kpis.models import Value

    call_command("migrate", verbosity=0)
    path = folder / "kpis.xlsx"
    build_workbook(path, options.indicators, options.months)
    size_kb = path.stat().st_size / 1024
    print(f"Workbook: {options.indicators} indicators x {options.months} months, {size_kb:.0f} kB ({path})")
    print(f"Database: {connection.vendor}")

    read_seconds, cells = time_it(lambda: openpyxl_alone(path), repeat=3)
    print(f"openpyxl alone (load_workbook + every cell):  {read_seconds:6.2f} s  ({cells} filled cells; best of 3)")

    def run(dry_run=False):
        with path.open("rb") as file:
            return kpis_import(file=file, dry_run=dry_run)

    runs = (
        ("import_kpis --dry-run (empty database)", True, 3),
        ("import_kpis, first time", False, 1),
        ("import_kpis, same file again", False, 3),
    )
    for label, dry_run, repeat in runs:
        seconds, result = time_it(lambda dry_run=dry_run: run(dry_run), repeat=repeat)
        created, updated = sum(result.created.values()), sum(result.updated.values())
        print(
            f"{label + ':':45} {seconds:6.2f} s  ({seconds / read_seconds:.1f}x openpyxl; "
            f"{created} created, {updated} updated, {result.unchanged['values']} values unchanged)"
        )
    print(f"Values in the database: {Value.objects.count()}")


if __name__ == "__main__":
    main()
