"""Cadence words in the target column and colours in the status column, read into the action and its history."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.importing import plan_import, plan_preview
from plans.importing.dates import read_cadence
from plans.models import Action, PlanImport
from plans.rag import RAG, Cadence, Status
from plans.reading import read_action
from tests.plans.importing.workbooks import xlsx

D = dt.date
TODAY = timezone.localdate()
NEXT_YEAR = f"Dec {TODAY.year + 1}"


def run_import(rows, slug="csc", **kwargs):
    preview, changes = plan_preview(xlsx(rows, fills=kwargs.pop("fills", None)), name="plan.xlsx", slug=slug)
    plan_import(preview=preview, slug=slug, title="CSC", **kwargs)
    return preview, changes


def imported(ref="1"):
    return Action.objects.get(plan__slug="csc", ref=ref)


@pytest.mark.parametrize(
    ("written", "cadence", "start"),
    [
        ("Ongoing", Cadence.ONGOING, None),
        ("On-going", Cadence.ONGOING, None),
        ("Monthly", Cadence.MONTHLY, None),
        ("Quarterly", Cadence.QUARTERLY, None),
        ("Sept 2017 and ongoing", Cadence.ONGOING, D(2017, 9, 1)),
        ("Monthly from Jan 2019", Cadence.MONTHLY, D(2019, 1, 1)),
        ("First report June 2015 and then quarterly", Cadence.QUARTERLY, D(2015, 6, 1)),
        ("Quarterly (from Q1 2019/20)", Cadence.QUARTERLY, D(2019, 4, 1)),
        ("Monthly, ongoing", Cadence.MONTHLY, None),
    ],
)
def test_it_reads_cadence_words_and_the_start_beside_them(written, cadence, start):
    found = read_cadence(written)
    assert (found.cadence, found.start.date) == (cadence, start)


@pytest.mark.parametrize("written", ["Dec 18", "TBC", "Weekly", "Q4 2018/19", "", None])
def test_dates_and_other_words_name_no_cadence(written):
    assert read_cadence(written) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "start_cell", "cadence", "start_date", "warning"),
    [
        ("Ongoing", None, Cadence.ONGOING, None, None),
        ("Monthly", "Oct 18", Cadence.MONTHLY, D(2018, 10, 1), None),
        ("Quarterly", None, Cadence.QUARTERLY, None, None),
        ("Sept 2017 and ongoing", None, Cadence.ONGOING, D(2017, 9, 1), "was read as ongoing from 01 Sep 2017"),
        ("Monthly from Jan 2019", None, Cadence.MONTHLY, D(2019, 1, 1), "was read as monthly from 01 Jan 2019"),
        ("Monthly from Jan 2019", "Nov 18", Cadence.MONTHLY, D(2018, 11, 1), 'the start column says "Nov 18"'),
        ("Ongoing from September", None, Cadence.ONGOING, None, "its start could not be read"),
    ],
)
def test_a_target_cell_naming_a_cadence_gives_the_actions_cadence_and_start(
    target, start_cell, cadence, start_date, warning
):
    rows = [["Ref", "Action", "Start", "Target", "Status"], ["1", "Audit case files", start_cell, target, "Green"]]
    preview, _ = run_import(rows)
    action = imported()
    assert (action.cadence, action.start_date, action.target_date, action.target_text) == (
        cadence,
        start_date,
        None,
        target,
    )
    row_warnings = [problem.message for problem in preview.warnings if problem.cell == "D2"]
    if warning:
        assert any(warning in message for message in row_warnings), row_warnings
    else:
        assert row_warnings == []


@pytest.mark.django_db
def test_an_ongoing_action_in_progress_is_green_not_grey_and_never_red_by_date():
    run_import([["Ref", "Action", "Target", "Status"], ["1", "Audit case files", "Sept 2017 and ongoing", "Green"],
                ["2", "Report to the board", "Monthly", "Not started"]])  # fmt: skip
    assert (imported("1").current_rag, imported("2").current_rag) == (RAG.GREEN, RAG.GREY)


@pytest.mark.django_db
def test_a_reimport_that_changes_the_cadence_updates_it():
    rows = [["Ref", "Action", "Target"], ["1", "Audit case files", "Monthly"], ["2", "Train staff", "Dec 18"]]
    run_import(rows)
    rows[1][2], rows[2][2] = "Quarterly", "Ongoing"
    _, changes = plan_preview(xlsx(rows), name="plan.xlsx", slug="csc")
    assert [(change.imported.ref, change.changed_names) for change in changes.updated] == [
        ("1", ["target date", "cadence"]),
        ("2", ["target date", "cadence"]),
    ]
    run_import(rows)
    assert (imported("1").cadence, imported("1").target_text) == (Cadence.QUARTERLY, "Quarterly")
    assert (imported("2").cadence, imported("2").target_date, imported("2").target_text) == (
        Cadence.ONGOING,
        None,
        "Ongoing",
    )
    # The same file again changes nothing.
    _, changes = plan_preview(xlsx(rows), name="plan.xlsx", slug="csc")
    assert (len(changes.updated), len(changes.unchanged)) == (0, 2)


COLOURS = [
    # (status cell, status, at risk, reported colour)
    ("R", Status.IN_PROGRESS, True, RAG.RED),
    ("A", Status.IN_PROGRESS, True, RAG.AMBER),
    ("Y", Status.IN_PROGRESS, True, RAG.AMBER),
    ("G", Status.IN_PROGRESS, False, RAG.GREEN),
    ("B", Status.COMPLETED, False, RAG.BLUE),
    ("Red", Status.IN_PROGRESS, True, RAG.RED),
    ("Amber", Status.IN_PROGRESS, True, RAG.AMBER),
    ("Yellow", Status.IN_PROGRESS, True, RAG.AMBER),
    ("Green", Status.IN_PROGRESS, False, RAG.GREEN),
    ("Blue", Status.COMPLETED, False, RAG.BLUE),
    ("Grey", Status.NOT_STARTED, False, RAG.GREY),
    ("green", Status.IN_PROGRESS, False, RAG.GREEN),
    # A legend's words give a status, not a colour.
    ("On track to complete within timescale", Status.IN_PROGRESS, False, None),
    ("Completion at risk", Status.IN_PROGRESS, True, None),
    ("Completed", Status.COMPLETED, False, None),
    ("Overdue", Status.IN_PROGRESS, True, None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("written", "status", "at_risk", "reported"), COLOURS)
def test_a_colour_word_or_letter_is_a_status_and_the_colour_reported(written, status, at_risk, reported):
    preview, _ = run_import([["Ref", "Action", "Target", "Status"], ["1", "Do it", NEXT_YEAR, written]])
    assert preview.actions[0].reported_rag == reported
    action = imported()
    assert (action.status, action.at_risk, action.status_text) == (status, at_risk, written)
    update = action.updates.get()
    assert (update.status, update.at_risk, update.reported_colour) == (status, at_risk, reported)
    assert [problem for problem in preview.warnings if problem.cell] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "fill", "status", "reported"),
    [
        ("On track to complete within timescale", "00B050", Status.IN_PROGRESS, RAG.GREEN),
        ("Completed", "0070C0", Status.COMPLETED, RAG.BLUE),
        ("Completion at risk", "FFFF00", Status.IN_PROGRESS, RAG.AMBER),
        # The word names a colour: the word is what was reported.
        ("Green", "FF0000", Status.IN_PROGRESS, RAG.GREEN),
        (None, "FF0000", Status.IN_PROGRESS, RAG.RED),
        (None, "C0C0C0", Status.NOT_STARTED, RAG.GREY),
    ],
)
def test_a_cells_fill_is_the_colour_reported_when_its_words_name_none(written, fill, status, reported):
    run_import([["Ref", "Action", "Target", "Status"], ["1", "Do it", NEXT_YEAR, written]], fills={"D2": fill})
    update = imported().updates.get()
    assert (update.status, update.reported_colour) == (status, reported)


@pytest.mark.django_db
def test_a_reported_colour_the_dates_disagree_with_is_kept_beside_the_rules():
    run_import([["Ref", "Action", "Target", "Status"], ["1", "Overdue but reported on track", "Dec 18", "G"]])
    reading = read_action(Action.objects.with_history_on(TODAY).get(ref="1"), TODAY)
    assert (reading.rag, reading.reported_rag, reading.reported_differs) == (RAG.RED, RAG.GREEN, True)


@pytest.mark.django_db
def test_the_preview_shows_each_rows_cadence_and_reported_colour(admin_user, client):
    client.force_login(admin_user)
    rows = [["Ref", "Action", "Target", "Status"], ["1", "Audit case files", "Monthly from Jan 2019", "A"],
            ["2", "Train staff", NEXT_YEAR, "On track to complete within timescale"]]  # fmt: skip
    upload = SimpleUploadedFile("plan.xlsx", xlsx(rows))
    client.post(reverse("plans:import_start"), {"file": upload, "title": "CSC"})
    page = client.get(PlanImport.objects.get().get_absolute_url()).content.decode()
    assert "Reported colour" in page and "Position as at" in page
    assert "Monthly from 1 Jan 2019" in page
    assert 'class="rag rag-amber"' in page
    assert "none" in page
