"""The risk import: real workbooks written with openpyxl; preview, problems by cell, all or nothing, idempotent;
the command and the admin's preview and confirm pages."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.models import Risk, RiskAssessment, RiskImport
from plans.risks import importing
from plans.risks.importing import RiskFileError, risks_import_bytes
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.plans.importing.workbooks import xlsx

HEADER = ["Ref", "Risk", "Cause", "Owner", "Likelihood", "Impact", "Score", "Target score", "Status", "Review date",
          "Mitigating actions"]  # fmt: skip
ROWS = [
    ["R1", "Social workers cannot be recruited", "Pay below neighbours", "ADCSC", 4, 5, 20, 8, "Open",
     dt.datetime(2030, 1, 31), "1, 2"],  # noqa: DTZ001 - an Excel date has no zone
    ["R2", "Case system delayed", "", "EDCYP", "3", "Major", "", "", "tolerated", "Mar 30", "2"],
]  # fmt: skip


@pytest.fixture
def plan(db):
    plan = PlanFactory(slug="risk-plan")
    area = AreaFactory(plan=plan)
    ActionFactory(plan=plan, area=area, ref="1")
    ActionFactory(plan=plan, area=area, ref="2")
    return plan


def workbook(*rows, header=HEADER, above=()):
    return xlsx([*above, header, *rows], title="Risks")


def test_it_imports_each_risk_with_its_first_assessment_and_mitigating_actions(plan):
    result = risks_import_bytes(content=workbook(*ROWS), name="risks.xlsx", plan=plan)

    assert result.created == ["R1", "R2"] and result.problems == []
    r1, r2 = Risk.objects.order_by("ref")
    assert (r1.likelihood, r1.impact, r1.score, r1.target_score, r1.owner) == (4, 5, 20, 8, "ADCSC")
    assert r1.review_date == dt.date(2030, 1, 31) and r1.cause == "Pay below neighbours"
    assert sorted(r1.mitigations.values_list("ref", flat=True)) == ["1", "2"]
    assert (r2.likelihood, r2.impact, r2.status, r2.review_date) == (3, 4, "tolerated", dt.date(2030, 3, 31))
    assert r1.assessments.get().source == "risks.xlsx, Risks!2"
    assert RiskImport.objects.get().created_count == 2


def test_importing_the_same_file_again_changes_nothing(plan):
    content = workbook(*ROWS)
    risks_import_bytes(content=content, name="risks.xlsx", plan=plan)

    again = risks_import_bytes(content=content, name="risks.xlsx", plan=plan)

    assert again.created == [] and again.updated == [] and again.unchanged == ["R1", "R2"]
    assert RiskAssessment.objects.count() == 2


def test_a_new_score_is_recorded_in_the_risks_history(plan):
    risks_import_bytes(content=workbook(*ROWS), name="march.xlsx", plan=plan)
    moved = [["R1", *ROWS[0][1:4], 3, 5, 15, *ROWS[0][7:]], ROWS[1]]

    result = risks_import_bytes(content=workbook(*moved), name="april.xlsx", plan=plan)

    assert result.updated == ["R1"] and result.unchanged == ["R2"]
    r1 = Risk.objects.get(ref="R1")
    assert [a.score for a in r1.assessments.all()] == [15, 20]
    assert r1.assessments.first().source == "april.xlsx, Risks!2"


def test_without_a_ref_column_risks_are_matched_by_title(plan):
    header = ["Risk", "Likelihood", "Impact"]
    risks_import_bytes(content=workbook(["Budget overspend", 3, 3], header=header), name="a.xlsx", plan=plan)
    again = risks_import_bytes(content=workbook(["budget  overspend ", 3, 4], header=header), name="b.xlsx", plan=plan)
    assert [risk.ref for risk in Risk.objects.all()] == ["R1"]
    assert again.updated == ["R1"] and Risk.objects.get().impact == 4


def test_problems_are_reported_by_cell_and_bad_rows_left_out(plan):
    rows = [
        ["R1", "Fine", "", "", 2, 2, 5, "", "", "", "1, 9"],  # score differs; action 9 unknown
        ["R2", "Bad likelihood", "", "", 7, 2],  # left out
        ["R3", "", "", "", 2, 2],  # no title: left out
        ["R4", "Odd status", "", "", 1, 1, "", "99", "Pending", "soon"],  # target, status, date: warnings
        ["R1", "Twice", "", "", 1, 1],  # same ref twice: left out
    ]

    result = risks_import_bytes(content=workbook(*rows, above=[["Risk register, December"]]), name="r.xlsx", plan=plan)

    said = [f"{problem.level} {problem.where}: {problem.message}" for problem in result.problems]
    assert result.created == ["R1", "R4"]
    assert any(s.startswith("warning Risks!G3: the score 5 is not likelihood × impact (2 × 2 = 4)") for s in said)
    assert any(s.startswith("warning Risks!K3: no action 9 in this plan") for s in said)
    assert any(s.startswith('error Risks!E4: likelihood "7" is not a whole number from 1 to 5') for s in said)
    assert any(s.startswith("error Risks!A5: the risk has no title") for s in said)
    assert any(s.startswith('warning Risks!H6: target score "99"') for s in said)
    assert any(s.startswith('warning Risks!I6: status "Pending"') for s in said)
    assert any(s.startswith("warning Risks!J6: the review date could not be read") for s in said)
    assert any(s.startswith("error Risks!A7: risk R1 appears twice in the file (first in row 3)") for s in said)
    assert list(Risk.objects.get(ref="R1").mitigations.values_list("ref", flat=True)) == ["1"]


def test_a_dry_run_reports_the_same_and_writes_nothing(plan):
    result = risks_import_bytes(content=workbook(*ROWS), name="risks.xlsx", plan=plan, dry_run=True)
    assert result.created == ["R1", "R2"]
    assert not Risk.objects.exists() and not RiskAssessment.objects.exists() and not RiskImport.objects.exists()


def test_it_writes_all_or_nothing(plan, monkeypatch):
    calls = []
    real = importing.risk_create

    def fail_on_the_second(**kwargs):
        calls.append(kwargs["ref"])
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(importing, "risk_create", fail_on_the_second)
    with pytest.raises(RuntimeError):
        risks_import_bytes(content=workbook(*ROWS), name="risks.xlsx", plan=plan)
    assert not Risk.objects.exists() and not RiskAssessment.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ref,Risk\nR1,Budget\n", "is a text file"),
        (xlsx([["Something else", "entirely"]]), "no sheet has a heading row naming the risk"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(plan, content, message):
    with pytest.raises(RiskFileError, match=message):
        risks_import_bytes(content=content, name="The file", plan=plan)


def test_the_command_imports_and_dry_runs(plan, tmp_path):
    path = tmp_path / "risks.xlsx"
    path.write_bytes(workbook(*ROWS))

    out = io.StringIO()
    call_command("import_risks", str(path), "--plan", "risk-plan", "--dry-run", stdout=out)
    assert "Dry run: nothing was written" in out.getvalue() and "Created: 2 risk(s): R1, R2" in out.getvalue()
    assert not Risk.objects.exists()

    out = io.StringIO()
    call_command("import_risks", str(path), "--plan", "risk-plan", stdout=out)
    assert Risk.objects.count() == 2

    with pytest.raises(CommandError, match='No plan with slug "nope"'):
        call_command("import_risks", str(path), "--plan", "nope")
    with pytest.raises(CommandError, match="missing.xlsx"):
        call_command("import_risks", str(tmp_path / "missing.xlsx"), "--plan", "risk-plan")


def test_an_admin_previews_then_confirms_the_import(client, admin_user, plan):
    url = reverse("plans:risk_import", args=[plan.slug])
    client.force_login(admin_user)

    upload = io.BytesIO(workbook(*ROWS))
    upload.name = "register.xlsx"
    preview = client.post(url, {"action": "preview", "workbook": upload})

    page = preview.content.decode()
    assert preview.status_code == 200 and "nothing has been written yet" in page
    assert "Created: 2 risk(s): R1, R2" in page
    assert not Risk.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    done = client.post(url, {"action": "import", "token": token})
    assert done.status_code == 302 and Risk.objects.count() == 2
    # The kept file is applied once: a second confirmation is refused.
    again = client.post(url, {"action": "import", "token": token})
    assert again.status_code == 400 and "expired" in again.content.decode()


def test_only_admins_may_import_risks(client, manager, plan):
    client.force_login(manager)
    assert client.get(reverse("plans:risk_import", args=[plan.slug])).status_code == 403


def test_a_bad_upload_is_a_clear_message_not_an_error_page(client, admin_user, plan):
    client.force_login(admin_user)
    upload = io.BytesIO(b"%PDF-1.4 not a workbook")
    upload.name = "register.pdf"
    response = client.post(reverse("plans:risk_import", args=[plan.slug]), {"action": "preview", "workbook": upload})
    assert response.status_code == 400 and "register.pdf is a PDF" in response.content.decode()


def test_the_risk_import_confirms_as_the_kpi_import_does(client, admin_user, plan):
    """One confirm step (common.spreadsheets.uploads.upload_step and its partials) for every importer."""
    url = reverse("plans:risk_import", args=[plan.slug])
    client.force_login(admin_user)
    missing = client.post(url, {"action": "preview"})
    assert missing.status_code == 400 and "Choose a workbook to import." in missing.content.decode()

    def preview():
        upload = io.BytesIO(workbook(*ROWS))
        upload.name = "register.xlsx"
        return client.post(url, {"action": "preview", "workbook": upload}).content.decode()

    first = preview()
    assert f'<a href="{url}" role="button" class="secondary outline">Cancel</a>' in first
    client.post(url, {"action": "import", "token": re.search(r'name="token" value="([^"]+)"', first).group(1)})
    again = preview()
    assert "Everything in this file is already in the register: there is nothing to import." in again
    assert "Import now" not in again
