"""Workbooks written with openpyxl the way performance teams lay them out, for the import tests."""

import io

from openpyxl import Workbook

MONTHS = ["Jul 18", "Aug 18", "Sep 18", "Oct 18", "Nov 18"]


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def put_rows(sheet, rows, start=1):
    """Write rows of cells; a (value, number_format) pair sets the cell's format."""
    for row_number, row in enumerate(rows, start=start):
        for column, value in enumerate(row, start=1):
            if isinstance(value, tuple):
                value, number_format = value
                sheet.cell(row_number, column, value).number_format = number_format
            elif value is not None:
                sheet.cell(row_number, column, value)
    return start + len(rows)


def seed_report(months=MONTHS):
    """Two sections of the seed report as a wide layout with headings, repeated headers and a merged cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "KPIs"
    put_rows(
        sheet,
        [
            ["Safeguarding Services 6 Monthly Report"],  # 1
            [],  # 2
            ["MASH"],  # 3
            ["Indicator", *months, "Target"],  # 4
            ["No. of Contacts received in MASH", 1786, 1376, 1628, 1716, 1674, "No Target"],  # 5
            ["% Contacts progressing to a CSC referral", *[(v, "0%") for v in (0.26, 0.22, 0.30, 0.22, 0.20)], "30%"],
            [
                "Rate of CSC referrals (10k pop) rolling 12 months",
                "476.2",
                "471.6",
                "480.6",
                "467.4",
                "466.4",
                "Under review",
            ],  # fmt: skip
            ["% Re-referrals (In the last 12 months)", "15%", "16%", "17%", "15%", "16%", "Under review"],  # 8
            ["Timeliness of decisions in MASH (24 hours)", "Data under review"],  # 9, merged B9:G9
            [],  # 10
            ["Assessments"],  # 11
            ["Indicator", *months, "Target"],  # 12
            ["% completed within 45 working days in month", "85%", "81%", "abc", "85%", "83%", (0.85, "0%")],  # 13
            ["Rate of assessments completed per 10,000"],  # 14: no figures yet
            [
                "% of ICPC that resulted in child subject to CP Plan",
                "100.0 %",
                "61.4 %",
                "192.7 %",
                "62.1 %",
                "48.1 %",
                "No Target",
            ],  # fmt: skip
        ],
    )
    sheet.merge_cells("B9:G9")
    return workbook
