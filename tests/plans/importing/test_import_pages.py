"""The import pages: admins only; upload, preview with problems and columns, change a column, confirm."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.spreadsheets import opening as workbook
from common.spreadsheets.uploads import UPLOAD_EXPIRED
from plans import roles
from plans.import_forms import SAME_FIELD_TWICE, SLUG_RESERVED
from plans.models import Action, PlanImport
from reports.for_you import NAV_COUNT_QUERIES
from tests.factories import PlanFactory, user_with_role
from tests.plans.importing.workbooks import seed_rows, xlsx

ROWS = [
    ["Area", "Ref", "Action", "Target date", "Sponsor", "Status"],
    ["Leadership", "1", "Set up the <b>board</b>", "Dec 18", "ADCSC", "Amber"],
    [None, "2", "Appoint a chair", "31 Sept 2017", "EDCYP", "Green"],
]


def upload(client, data, name="plan.xlsx", **fields):
    fields = {"plan": "", "title": "Imported plan", "slug": "", "sheet": ""} | fields
    return client.post(reverse("plans:import_start"), {"file": SimpleUploadedFile(name, data), **fields})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "board_member", "viewer"])
def test_only_admins_may_import(client, role, request):
    # Managers, board members and viewers may read plans, never import them.
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("plans:import_start")).status_code == 403
    assert client.get(reverse("plans:import_template")).status_code == 403
    assert upload(client, xlsx(ROWS)).status_code == 403
    assert PlanImport.objects.count() == 0


@pytest.mark.django_db
def test_another_admins_upload_is_not_found(client, admin_user):
    client.force_login(admin_user)
    # Uploaded by someone else (created_by is not this admin).
    record = PlanImport.objects.create(plan_slug="p", file_name="x.xlsx", checksum="0", size=1, content=xlsx(ROWS))
    assert client.get(reverse("plans:import_preview", args=[record.token])).status_code == 404
    assert client.post(reverse("plans:import_columns", args=[record.token])).status_code == 404
    assert client.post(reverse("plans:import_confirm", args=[record.token])).status_code == 404
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_upload_preview_and_confirm(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, xlsx(ROWS))
    record = PlanImport.objects.get()
    assert response.url == reverse("plans:import_preview", args=[record.token])
    assert (record.state, record.created_by, record.plan_slug, record.size) == ("pending", admin_user, "imported-plan",
                                                                                len(bytes(record.content)))  # fmt: skip
    page = client.get(response.url).content.decode()
    assert "Sheet “Plan”, header in row 1" in page
    assert "Plan!D3" in page and "&quot;31 Sept 2017&quot; is not a date (September 2017 has 30 days)" in page
    # Imported text is escaped.
    assert "Set up the board" in page and "<b>board</b>" not in page
    assert "Import 2 actions" in page
    assert Action.objects.count() == 0
    response = client.post(reverse("plans:import_confirm", args=[record.token]))
    record.refresh_from_db()
    # The impossible date, and the two new sponsors.
    assert (record.state, record.created_count, record.warning_count) == ("applied", 2, 2)
    assert bytes(record.content) == b""
    assert Action.objects.filter(plan__slug="imported-plan").count() == 2
    result = client.get(response.url).content.decode()
    assert "2 new, 0 updated, 0 unchanged, 0 removed" in result
    # Confirming twice writes nothing more.
    client.post(reverse("plans:import_confirm", args=[record.token]))
    assert Action.objects.count() == 2


@pytest.mark.django_db
def test_the_admin_can_change_what_a_column_is_read_as(client, admin_user):
    client.force_login(admin_user)
    rows = [
        ["Area", "Ref", "Action", "Comments", "Target date"],
        ["Leadership", "1", "Set up board", "Jo Bloggs", "Dec 18"],
    ]
    upload(client, xlsx(rows))
    record = PlanImport.objects.get()
    choices = {"column_A": "area", "column_B": "ref", "column_C": "action", "column_D": "lead", "column_E": "target"}
    client.post(reverse("plans:import_columns", args=[record.token]), choices)
    record.refresh_from_db()
    assert record.columns["D"] == "lead"
    client.post(reverse("plans:import_confirm", args=[record.token]))
    assert Action.objects.get().lead == "Jo Bloggs"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"Area,Action\nA,B\n", workbook.A_TEXT_FILE.format(name="plan.xlsx")), (b"", "The submitted file is empty.")],
)
def test_a_bad_file_is_refused_on_the_upload_page(client, admin_user, data, expected):
    client.force_login(admin_user)
    response = upload(client, data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert PlanImport.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_before_it_is_read(client, admin_user, settings):
    settings.IMPORT_MAX_BYTES = 2048
    client.force_login(admin_user)
    response = upload(client, xlsx(ROWS * 30))
    assert "the largest file that can be imported is 0.0 MB" in response.content.decode()


@pytest.mark.django_db
def test_a_new_plan_cannot_take_the_address_of_the_import_page(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, xlsx(ROWS), slug="import")
    assert response.context["form"].errors["slug"] == [SLUG_RESERVED.format(slug="import")]


@pytest.mark.django_db
def test_reimport_into_an_existing_plan_lists_what_would_be_removed(client, admin_user):
    client.force_login(admin_user)
    plan = PlanFactory(slug="csc", title="CSC")
    upload(client, xlsx(ROWS), plan="csc")
    client.post(reverse("plans:import_confirm", args=[PlanImport.objects.get().token]))
    upload(client, xlsx(ROWS[:2]), plan="csc")
    pending = PlanImport.objects.get(state="pending")
    page = client.get(reverse("plans:import_preview", args=[pending.token])).content.decode()
    assert "1 action in the plan is not in this file" in page and "2. Appoint a chair" in page
    client.post(reverse("plans:import_confirm", args=[pending.token]), {"remove_missing": "on"})
    assert list(plan.actions.values_list("ref", flat=True)) == ["1"]


@pytest.mark.django_db
def test_the_preview_of_a_large_plan_takes_a_fixed_number_of_queries(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    upload(client, xlsx(seed_rows()), title="Seed")
    record = PlanImport.objects.get()
    client.post(reverse("plans:import_confirm", args=[record.token]))
    upload(client, xlsx(seed_rows()), plan="seed")
    pending = PlanImport.objects.get(state="pending")
    with django_assert_max_num_queries(15 + NAV_COUNT_QUERIES):  # the admin's "For you" count
        response = client.get(reverse("plans:import_preview", args=[pending.token]))
    assert "85 unchanged" in response.content.decode()


@pytest.mark.django_db
def test_the_template_downloads_as_xlsx(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("plans:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")


@pytest.mark.django_db
def test_an_upload_left_too_long_has_expired_and_says_so(client, admin_user):
    client.force_login(admin_user)
    upload(client, xlsx(ROWS))
    record = PlanImport.objects.get()
    PlanImport.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = UPLOAD_EXPIRED.format(name="plan.xlsx")
    response = client.get(reverse("plans:import_preview", args=[record.token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:import_start") and expired in response.content.decode()
    response = client.post(reverse("plans:import_confirm", args=[record.token]), follow=True)
    assert expired in response.content.decode()
    record.refresh_from_db()
    assert (record.state, Action.objects.count()) == ("pending", 0)
    # The next upload purges it, with the bytes it held.
    upload(client, xlsx(ROWS))
    assert not PlanImport.objects.filter(pk=record.pk).exists()


def pending_upload_of(user):
    return PlanImport.objects.create(
        plan_slug="p", file_name="plan.xlsx", checksum="0", size=1, content=xlsx(ROWS), created_by=user
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "board_member", "viewer"])
@pytest.mark.parametrize(
    ("method", "page"), [("get", "import_preview"), ("post", "import_columns"), ("post", "import_confirm")]
)
def test_only_admins_may_see_or_act_on_an_upload(client, admin_user, role, method, page, request):
    # Even with the link to an admin's upload, other roles are refused.
    record = pending_upload_of(admin_user)
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(f"plans:{page}", args=[record.token]), {"column_C": "lead"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.state, record.columns, Action.objects.count()) == ("pending", {}, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "page", "args"),
    [
        ("get", "import_start", False),
        ("get", "import_template", False),
        ("get", "import_preview", True),
        ("post", "import_columns", True),
        ("post", "import_confirm", True),
    ],
)
def test_someone_not_signed_in_is_sent_to_sign_in(client, admin_user, method, page, args):
    record = pending_upload_of(admin_user)
    response = getattr(client, method)(reverse(f"plans:{page}", args=[record.token] if args else []))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_another_admin_cannot_change_or_confirm_an_upload(client, admin_user):
    # Both are admins; the upload is the first one's own until confirmed.
    record = pending_upload_of(admin_user)
    other = user_with_role(roles.ADMIN, username="other-admin")
    client.force_login(other)
    assert client.get(reverse("plans:import_preview", args=[record.token])).status_code == 404
    assert client.post(reverse("plans:import_columns", args=[record.token]), {"column_C": "lead"}).status_code == 404
    assert client.post(reverse("plans:import_confirm", args=[record.token])).status_code == 404
    assert file_name_of_uploads_listed(client) == []
    record.refresh_from_db()
    assert (record.state, record.columns, Action.objects.count()) == ("pending", {}, 0)


def file_name_of_uploads_listed(client):
    return [record.file_name for record in client.get(reverse("plans:import_start")).context["recent"]]


@pytest.mark.django_db
def test_choosing_a_sheet_without_a_header_keeps_the_upload_on_its_sheet_and_says_why(client, admin_user):
    client.force_login(admin_user)
    upload(client, xlsx(ROWS, sheets={"Notes": [["Just some notes"]]}))
    record = PlanImport.objects.get()
    response = client.post(reverse("plans:import_columns", args=[record.token]), {"sheet": "Notes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:import_preview", args=[record.token])
    page = response.content.decode()
    assert "No header row found in the first rows of &quot;Notes&quot;" in page
    assert "Sheet “Plan”, header in row 1" in page
    record.refresh_from_db()
    assert record.sheet_name == ""
    client.post(reverse("plans:import_confirm", args=[record.token]))
    assert Action.objects.count() == 2


@pytest.mark.django_db
def test_the_admin_changes_a_column_and_the_preview_and_import_follow(client, admin_user):
    # Upload, preview, read "Sponsor" as the delivery lead instead, confirm.
    client.force_login(admin_user)
    upload(client, xlsx(ROWS))
    record = PlanImport.objects.get()
    preview_url = reverse("plans:import_preview", args=[record.token])
    choices = {"column_A": "area", "column_B": "ref", "column_C": "action", "column_D": "target",
               "column_E": "lead", "column_F": "status"}  # fmt: skip
    response = client.post(reverse("plans:import_columns", args=[record.token]), choices, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == preview_url
    assert "New sponsors will be created" not in page
    client.post(reverse("plans:import_confirm", args=[record.token]))
    assert sorted(Action.objects.values_list("ref", "lead", "sponsor_text")) == [("1", "ADCSC", ""), ("2", "EDCYP", "")]


@pytest.mark.django_db
def test_two_columns_chosen_for_one_field_are_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    upload(client, xlsx(ROWS))
    record = PlanImport.objects.get()
    choices = {"column_A": "area", "column_B": "ref", "column_C": "action", "column_D": "target",
               "column_E": "target", "column_F": "target"}  # fmt: skip
    response = client.post(reverse("plans:import_columns", args=[record.token]), choices, follow=True)
    expected = SAME_FIELD_TWICE.format(columns="D, E and F", field="Target date")
    assert expected in response.content.decode()
    record.refresh_from_db()
    assert record.columns == {}
