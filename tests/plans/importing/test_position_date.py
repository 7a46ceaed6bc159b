"""A file's statuses are history on its position date: movement between two files, older files kept in their
place, the same file twice recording nothing, and every write path leaving its update row."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.importing import plan_import, plan_preview, position_moment
from plans.importing.messages import KEPT_NEWER, POSITION_DATE_IN_FUTURE, TARGET_MOVED_BY_IMPORT
from plans.models import Action, ActionUpdate, PlanImport, TargetDateChange
from plans.rag import RAG, Status
from plans.services import action_update
from plans.summary import plan_summary
from tests.plans.importing.workbooks import xlsx

TODAY = timezone.localdate()
LAST_MONTH = TODAY - dt.timedelta(days=31)
# Targets well ahead, so that nothing turns Red by date while the tests look at colours.
NEXT_YEAR = f"Dec {TODAY.year + 1}"
HEADER = ["Area", "Ref", "Action", "Target date", "Status"]


def plan_rows(*statuses, target=NEXT_YEAR):
    rows = [HEADER]
    for number, status in enumerate(statuses, start=1):
        rows.append(["Leadership" if number == 1 else None, str(number), f"Action {number}", target, status])
    return rows


def run_import(rows, *, position_date=None, user=None, name="plan.xlsx", slug="csc"):
    preview, _ = plan_preview(xlsx(rows), name=name, slug=slug, position_date=position_date)
    return plan_import(preview=preview, slug=slug, title="CSC", user=user, position_date=position_date)


def by_ref():
    return {action.ref: action for action in Action.objects.filter(plan__slug="csc")}


@pytest.mark.django_db
def test_last_months_file_then_this_months_gives_movement_between_the_two_dates(admin_user):
    run_import(plan_rows("Green", "Green", "Not started", "Amber"), position_date=LAST_MONTH, user=admin_user)
    run_import(plan_rows("Amber", "Blue", "Green", "Amber"), position_date=TODAY, user=admin_user)
    plan = Action.objects.filter(plan__slug="csc").first().plan
    summary = plan_summary(plan, as_of=TODAY, since=LAST_MONTH)
    assert {move.action.ref: (move.before, move.after) for move in summary.movement} == {
        "1": (RAG.GREEN, RAG.AMBER),
        "2": (RAG.GREEN, RAG.BLUE),
        "3": (RAG.GREY, RAG.GREEN),
    }
    # The past is rebuilt from the history the first file left: Green on its date, not today's Amber.
    actions = by_ref()
    assert [actions[ref].rag(LAST_MONTH) for ref in "1234"] == [RAG.GREEN, RAG.GREEN, RAG.GREY, RAG.AMBER]
    assert [actions[ref].rag(LAST_MONTH - dt.timedelta(days=1)) for ref in "12"] == [RAG.GREY, RAG.GREY]
    # Action 4 said Amber in both files: this month's file reports it again, on its own date.
    assert [update.created_at for update in actions["4"].updates.order_by("created_at")] == [
        position_moment(LAST_MONTH),
        position_moment(TODAY),
    ]


@pytest.mark.django_db
def test_a_file_dated_today_is_the_current_state(admin_user):
    run_import(plan_rows("Amber", "Blue"), user=admin_user)
    actions = by_ref()
    assert (actions["1"].status, actions["1"].at_risk, actions["1"].at_risk_reason) == (
        Status.IN_PROGRESS,
        True,
        'Marked "Amber" in the plan',
    )
    assert (actions["2"].status, actions["2"].completed_on) == (Status.COMPLETED, TODAY)
    assert actions["1"].last_updated_at == position_moment(TODAY) <= timezone.now()
    assert [actions[ref].current_rag for ref in "12"] == [RAG.AMBER, RAG.BLUE]


@pytest.mark.django_db
def test_an_older_file_after_a_newer_update_joins_the_history_without_replacing_the_current_state(admin_user):
    run_import(plan_rows("Green", "Green", "Green"), position_date=TODAY - dt.timedelta(days=60), user=admin_user)
    actions = by_ref()
    for ref in "12":
        action_update(action=actions[ref], author=admin_user, status=Status.IN_PROGRESS, at_risk=True,
                      at_risk_reason="Funding not agreed", commentary="Waiting for the budget",
                      at=timezone.now() - dt.timedelta(days=10))  # fmt: skip
    older = TODAY - dt.timedelta(days=30)
    preview, changes = plan_preview(xlsx(plan_rows("Blue", "Blue", "Blue")), name="plan.xlsx", slug="csc",
                                    position_date=older)  # fmt: skip
    assert [action.ref for action in changes.kept_newer] == ["1", "2"]
    record = plan_import(preview=preview, slug="csc", user=admin_user, position_date=older)
    assert (record.kept_newer_count, record.position_date) == (2, older)
    actions = by_ref()
    # The newer update made in the tracker stays the current state...
    assert [(actions[ref].status, actions[ref].at_risk_reason) for ref in "12"] == [
        (Status.IN_PROGRESS, "Funding not agreed")
    ] * 2
    assert actions["3"].status == Status.COMPLETED
    # ...and the file's position is history on its own date.
    assert actions["1"].rag(older) == RAG.BLUE
    assert actions["1"].rag(TODAY - dt.timedelta(days=9)) == RAG.AMBER


@pytest.mark.django_db
def test_the_command_and_the_result_page_say_which_positions_did_not_replace_a_newer_state(
    admin_user, client, tmp_path
):
    run_import(plan_rows("Green", "Green"), position_date=TODAY - dt.timedelta(days=60), user=admin_user)
    for action in by_ref().values():
        action_update(action=action, author=admin_user, status=Status.IN_PROGRESS, commentary="On course",
                      at=timezone.now() - dt.timedelta(days=5))  # fmt: skip
    older = dt.date(TODAY.year, TODAY.month, 1) - dt.timedelta(days=30)
    message = KEPT_NEWER.format(count=2, date=older)
    assert message == (
        f"2 actions were updated in the tracker after {older:%-d %b %Y}: the file's position joins their history "
        "but does not replace their current state"
    )
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(plan_rows("Amber", "Amber")))
    output = io.StringIO()
    call_command("import_plan", str(path), "--plan", "csc", "--position-date", older.isoformat(), stdout=output)
    assert message in output.getvalue()

    client.force_login(admin_user)
    upload = SimpleUploadedFile("plan.xlsx", xlsx(plan_rows("Blue", "Blue")))
    client.post(reverse("plans:import_start"), {"file": upload, "plan": "csc", "position_date": older.isoformat()})
    record = PlanImport.objects.get(state=PlanImport.State.PENDING)
    assert record.position_date == older
    preview_page = client.get(record.get_absolute_url()).content.decode()
    assert f"{older:%-d %b %Y}" in preview_page and message in preview_page.replace("&#x27;", "'")
    response = client.post(reverse("plans:import_confirm", args=[record.token]))
    result = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert message in result


@pytest.mark.django_db
def test_the_same_file_twice_records_nothing_new(admin_user):
    rows = plan_rows("Green", "Amber", "R", None)
    run_import(rows, position_date=LAST_MONTH, user=admin_user)
    recorded = list(ActionUpdate.objects.values_list("pk", flat=True))
    assert len(recorded) == 3
    record = run_import(rows, position_date=LAST_MONTH, user=admin_user)
    assert (record.positions.recorded, record.unchanged_count) == ([], 4)
    # A later file with the same statuses is a new report on its own date (it keeps a monthly action current).
    record = run_import(rows, position_date=TODAY, user=admin_user)
    assert len(record.positions.recorded) == 3 and record.kept_newer_count == 0
    assert ActionUpdate.objects.filter(created_at=position_moment(TODAY)).count() == 3


@pytest.mark.django_db
def test_every_write_path_of_the_import_leaves_its_history_row(admin_user, client, tmp_path):
    # First import: new actions created without status; their positions are updates with file and Sheet!row.
    run_import(plan_rows("Green", "Amber", None, "On track"), position_date=LAST_MONTH, user=admin_user)
    actions = by_ref()
    first = {update.action.ref: update for update in ActionUpdate.objects.select_related("action")}
    assert sorted(first) == ["1", "2", "4"]
    assert {(u.source, u.author, u.created_at) for u in first.values()} == {
        (f"plan.xlsx, Plan!{row}", admin_user, position_moment(LAST_MONTH)) for row in (2, 3, 5)
    }
    assert (first["1"].status, first["1"].reported_rag, first["1"].rag) == (Status.IN_PROGRESS, "green", "green")
    assert (first["2"].at_risk, first["2"].reported_rag, first["2"].rag) == (True, "amber", "amber")
    assert first["4"].reported_rag == ""
    # No status written: nothing recorded, the action not started.
    assert (actions["3"].status, actions["3"].last_updated_at) == (Status.NOT_STARTED, None)

    # A re-import: an updated action (status and target changed) and an unchanged one whose colour is now
    # reported ("On track" -> "G"), both recorded on the new date; the target move is an approved change.
    new_target = f"March {TODAY.year + 2}"
    rows = plan_rows("Blue", "Amber", None, "G")
    rows[1][3] = new_target
    preview, changes = plan_preview(xlsx(rows), name="plan-v2.xlsx", slug="csc", position_date=TODAY)
    assert [(change.imported.ref, change.changed_names) for change in changes.updated] == [
        ("1", ["target date", "status"])
    ]
    plan_import(preview=preview, slug="csc", user=admin_user, position_date=TODAY)
    second = ActionUpdate.objects.filter(created_at=position_moment(TODAY)).select_related("action")
    assert sorted((u.action.ref, u.source, u.author, u.status, u.reported_rag) for u in second) == [
        ("1", "plan-v2.xlsx, Plan!2", admin_user, Status.COMPLETED, "blue"),
        ("2", "plan-v2.xlsx, Plan!3", admin_user, Status.IN_PROGRESS, "amber"),
        ("4", "plan-v2.xlsx, Plan!5", admin_user, Status.IN_PROGRESS, "green"),
    ]
    moved = TargetDateChange.objects.get()
    assert (moved.action.ref, moved.decided_by, moved.decided_at, moved.decision) == (
        "1", admin_user, position_moment(TODAY), TargetDateChange.Decision.APPROVED
    )  # fmt: skip
    assert moved.reason == TARGET_MOVED_BY_IMPORT.format(file_name="plan-v2.xlsx", user=admin_user)
    first_action = Action.objects.get(ref="1")
    assert (first_action.target_date, first_action.target_text) == (dt.date(TODAY.year + 2, 3, 31), new_target)
    assert first_action.target_date_as_of(LAST_MONTH) == dt.date(TODAY.year + 1, 12, 31)

    # The command, with and without --user.
    path = tmp_path / "plan-v3.xlsx"
    path.write_bytes(xlsx(plan_rows("Blue", "Red", "Green", "G")))
    call_command("import_plan", str(path), "--plan", "csc", "--user", admin_user.username, stdout=io.StringIO())
    update = ActionUpdate.objects.get(action__ref="2", status=Status.IN_PROGRESS, reported_rag="red")
    assert (update.source, update.author) == ("plan-v3.xlsx, Plan!3", admin_user)
    path.write_bytes(xlsx(plan_rows("Blue", "Red", "Blue", "G")))
    call_command("import_plan", str(path), "--plan", "csc", stdout=io.StringIO())
    update = ActionUpdate.objects.get(action__ref="3", status=Status.COMPLETED)
    assert (update.source, update.author) == ("plan-v3.xlsx, Plan!4", None)

    # The upload page: the admin who confirms is the author.
    client.force_login(admin_user)
    upload = SimpleUploadedFile("board.xlsx", xlsx(plan_rows("Blue", "Green", "Blue", "G")))
    client.post(reverse("plans:import_start"), {"file": upload, "plan": "csc"})
    record = PlanImport.objects.get(state=PlanImport.State.PENDING)
    client.post(reverse("plans:import_confirm", args=[record.token]))
    update = ActionUpdate.objects.get(action__ref="2", source__startswith="board.xlsx")
    assert (update.source, update.author, update.reported_rag) == ("board.xlsx, Plan!3", admin_user, "green")
    # Every state the import left is the one its newest update says.
    for action in Action.objects.filter(plan__slug="csc"):
        latest = action.latest_update()
        if latest is not None:
            assert (action.status, action.at_risk, action.last_updated_at) == (
                latest.status, latest.at_risk, latest.created_at
            ), action.ref  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2026-13-01", '--position-date takes a date written YYYY-MM-DD (such as 2026-11-01), not "2026-13-01"'),
        ("1/11/2026", "--position-date takes a date written YYYY-MM-DD"),
        ((TODAY + dt.timedelta(days=1)).isoformat(), "is in the future"),
    ],
)
def test_a_position_date_that_cannot_be_used_is_a_clear_command_error(tmp_path, written, message):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(plan_rows("Green")))
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_plan", str(path), "--plan", "csc", "--position-date", written, stdout=io.StringIO())
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_the_upload_page_offers_today_and_refuses_a_date_in_the_future(admin_user, client):
    client.force_login(admin_user)
    page = client.get(reverse("plans:import_start")).content.decode()
    assert "Position as at" in page and f'value="{TODAY.isoformat()}"' in page
    tomorrow = TODAY + dt.timedelta(days=1)
    upload = SimpleUploadedFile("plan.xlsx", xlsx(plan_rows("Green")))
    response = client.post(
        reverse("plans:import_start"), {"file": upload, "title": "CSC", "position_date": tomorrow.isoformat()}
    )
    assert POSITION_DATE_IN_FUTURE.format(date=tomorrow) in response.content.decode()
    assert PlanImport.objects.count() == 0


def _queries(rows, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        run_import(rows, **kwargs)
    return len(queries)


@pytest.mark.django_db
def test_an_import_takes_a_fixed_number_of_queries_whatever_the_number_of_actions(admin_user):
    statuses = ["On track", "Amber", "Blue", "Red", None]
    first = [
        _queries(plan_rows(*statuses), slug="small", user=admin_user),
        _queries(plan_rows(*(statuses * 6)), slug="large", user=admin_user),
    ]
    assert first[0] == first[1]
    # Again a month on, each colour now reported ("On track" -> "G"): new positions, no action changed.
    later = [{"On track": "G"}.get(status, status) for status in statuses]
    again = [
        _queries(plan_rows(*later), slug="small", user=admin_user, position_date=TODAY),
        _queries(plan_rows(*(later * 6)), slug="large", user=admin_user, position_date=TODAY),
    ]
    assert again[0] == again[1]
    # And every status changed (the usual monthly re-import): still no query per action.
    swapped = [{"G": "Amber", "Amber": "G", "Blue": "Red", "Red": "Blue"}.get(status, status) for status in later]
    changed = [
        _queries(plan_rows(*swapped), slug="small", user=admin_user, position_date=TODAY),
        _queries(plan_rows(*(swapped * 6)), slug="large", user=admin_user, position_date=TODAY),
    ]
    assert changed[0] == changed[1]


@pytest.mark.django_db
def test_a_target_withdrawn_by_a_reimport_is_a_recorded_change_and_the_past_keeps_the_old_target(admin_user):
    run_import(plan_rows("Green", target=NEXT_YEAR), position_date=LAST_MONTH, user=admin_user)
    run_import(plan_rows("Green", target="TBC"), position_date=TODAY, user=admin_user)
    action = Action.objects.get(plan__slug="csc", ref="1")
    assert (action.target_date, action.target_text) == (None, "TBC")
    [change] = action.target_changes.all()
    assert (change.new_target_date, change.decision, change.decided_by) == (
        None,
        TargetDateChange.Decision.APPROVED,
        admin_user,
    )
    assert action.target_date_as_of(LAST_MONTH) == dt.date(TODAY.year + 1, 12, 31)
    assert action.slippage().times_moved == 1


@pytest.mark.django_db
def test_a_monthly_action_reported_in_each_months_file_stays_green(admin_user):
    rows = [HEADER, ["Leadership", "1", "Monthly audit report", "Monthly", "Green"]]
    run_import(rows, position_date=TODAY - dt.timedelta(days=45), user=admin_user)
    run_import(rows, position_date=TODAY - dt.timedelta(days=1), user=admin_user)
    action = Action.objects.with_history().get(plan__slug="csc", ref="1")
    assert (action.cadence, action.rag()) == ("monthly", RAG.GREEN)
    # Without the second file its expected update would be missing.
    assert action.rag(TODAY - dt.timedelta(days=2)) == RAG.AMBER
