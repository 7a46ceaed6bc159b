"""The import preview accounts for every row of the file, shows each action's lead and the areas' and themes'
fields; the command prints the same; the result page counts the rows not imported, not the errors."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import PlanImport
from tests.plans.importing.test_import_pages import upload
from tests.plans.importing.workbooks import xlsx

ROWS = [
    ["Improvement plan 2018-19"],
    ["Key area 1: Leadership & governance"],
    ["Ref", "Action", "Target date", "Lead", "RAG"],
    ["1.1", "Establish the improvement board", "Oct 18", "Director of Children's Services", "G"],
    ["1.1", "Establish the improvement board again", "Oct 18", "DCS", "G"],
    ["Measures of success"],
    ["• The board meets monthly"],
    [None, None, "Nov 18", "DCS", None],
    ["1.2", "Agree the terms of reference", "Nov 18", "Head of Service", "A"],
]


@pytest.mark.django_db
def test_the_preview_shows_the_lead_and_what_became_of_every_row_and_the_result_counts_rows_skipped(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, xlsx(ROWS))
    page = client.get(response.url).content.decode()
    assert "<td>Director of Children&#x27;s Services</td>" in page
    summary = (
        "9 rows with content: 2 actions, 0 parts of actions (text running on, milestones), 3 headers, headings, "
        "titles and legends, 2 merged into an area&#x27;s or theme&#x27;s fields, 2 not imported"
    )
    assert summary in page
    assert "Leadership &amp; governance" in page and "Leadership & governance" not in page
    assert "action 1.1 appears twice (first in row 4); this row was not imported" in page
    assert "area &quot;Leadership &amp; governance&quot;: measured by" in page
    assert "• The board meets monthly" in page  # the area's measures as the file writes them
    response = client.post(reverse("plans:import_confirm", args=[PlanImport.objects.get().token]))
    record = PlanImport.objects.get()
    assert (record.skipped_count, record.error_count) == (2, 1)
    assert "2 rows not imported, 1 error," in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_the_command_prints_what_became_of_each_row_that_is_not_an_action(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(ROWS))
    out = io.StringIO()
    call_command("import_plan", str(path), "--plan", "p", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "9 rows with content: 2 actions," in printed
    assert "Plan!row 1: heading: above the table: a title, legend or note" in printed
    assert 'Plan!row 7: merged: area "Leadership & governance": measured by' in printed
    assert "Plan!row 8: skipped: this row has no action text and was not imported" in printed
