"""A readable workbook without a plan in it gets a clear message naming the file, and nothing is written.

(The file checks themselves, shared with the KPI importer, are tested in tests/common/test_opening.py.)
"""

import pytest

from common.spreadsheets import opening as workbook
from plans.importing import plan_preview
from plans.importing.messages import EMPTY_WORKBOOK, NO_HEADER, NO_SUCH_SHEET
from plans.models import Action, Plan
from tests.plans.importing.workbooks import xlsx

GOOD = [["Ref", "Action", "Target"], ["1", "Do it", "Dec 18"]]


def refused(data, **kwargs):
    with pytest.raises(workbook.WorkbookError) as raised:
        plan_preview(data, name="plan.xlsx", slug="plan", **kwargs)
    assert Plan.objects.count() == 0 and Action.objects.count() == 0
    return str(raised.value)


@pytest.mark.django_db
def test_it_refuses_a_file_the_toolkit_refuses():
    assert refused(b"Area,Action\nA,B\n") == workbook.A_TEXT_FILE.format(name="plan.xlsx")


@pytest.mark.django_db
def test_it_refuses_an_empty_workbook():
    assert refused(xlsx([])) == EMPTY_WORKBOOK.format(name="plan.xlsx")


@pytest.mark.django_db
def test_it_refuses_a_workbook_without_a_recognisable_header():
    data = xlsx([["Budget 2018"], ["Item", "Cost"], ["Staff", 1200]], title="Budget")
    assert refused(data) == NO_HEADER.format(sheets='"Budget"')


@pytest.mark.django_db
def test_it_names_the_sheets_when_the_one_asked_for_is_missing():
    assert refused(xlsx(GOOD), sheet="Actions") == NO_SUCH_SHEET.format(
        sheet="Actions", name="plan.xlsx", sheets="Plan"
    )


@pytest.mark.django_db
def test_it_finds_the_plan_on_a_later_sheet_or_the_sheet_asked_for():
    data = xlsx([["Contents"], ["Cover page"]], title="Cover", sheets={"Actions": GOOD})
    preview, _ = plan_preview(data, name="plan.xlsx", slug="plan")
    assert (preview.sheet, [action.title for action in preview.actions]) == ("Actions", ["Do it"])
    preview, _ = plan_preview(data, name="plan.xlsx", slug="plan", sheet="Actions")
    assert preview.sheet == "Actions"
