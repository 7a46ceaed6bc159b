"""The KPI import record and the pending upload it holds between the preview and "Import now".

Admins import; the admin who uploaded a file is the only one who may import it, within the hour, and once.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.spreadsheets.uploads import PREVIEW_EXPIRED, UPLOAD_EXPIRED, UploadGone, checksum, uploads_purge
from kpis.importing import kpis_import, kpis_upload_import, kpis_upload_preview
from kpis.importing import workbook as kpi_workbook
from kpis.models import Indicator, KpiImport, Value
from plans import roles
from tests.factories import user_with_role

from .workbooks import save, seed_report

URL = reverse("kpis:import")


@pytest.fixture
def other_admin(db):
    return user_with_role(roles.ADMIN, username="other-admin")


@pytest.fixture
def report():
    return save(seed_report()).getvalue()


def preview(client, content, name="report.xlsx"):
    return client.post(URL, {"action": "preview", "workbook": SimpleUploadedFile(name, content)})


def test_an_import_is_recorded_with_its_counts(db, admin_user, report):
    # The very bytes the checksum is taken of: a workbook saved again a second later differs (its saved time).
    result = kpis_import(file=io.BytesIO(report), user=admin_user)
    record = KpiImport.objects.get()
    assert result.record == record
    assert (record.state, record.created_by, record.checksum, record.size) == (
        KpiImport.State.APPLIED,
        admin_user,
        checksum(report),
        len(report),
    )
    assert (record.created_count, record.updated_count, record.unchanged_count, record.skipped_count) == (
        2 + 8 + 33 + 6,
        0,
        0,
        2,
    )
    assert record.warnings == ['KPIs!D13: "abc" is not a number', "KPIs!D15: 192.7% is a percentage above 100"]
    assert bytes(record.content) == b""


def test_a_dry_run_keeps_no_record(db):
    kpis_import(file=save(seed_report()), dry_run=True)
    assert not KpiImport.objects.exists()


def test_the_preview_writes_nothing_at_all(db, admin_user, report):
    kpis_import(file=save(seed_report()))  # so that the preview also meets rows to update and targets to split
    workbook = seed_report(months=["Sep 18", "Oct 18", "Nov 18", "Dec 18", "Jan 19"])
    with CaptureQueriesContext(connection) as queries:
        result, record = kpis_upload_preview(name="later.xlsx", content=save(workbook).getvalue(), user=admin_user)
    assert result.changed and record is not None
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert all('"kpis_kpiimport"' in sql for sql in writes), writes


def test_the_file_imported_is_the_one_the_preview_read(db, admin_user, report):
    result, record = kpis_upload_preview(name="report.xlsx", content=report, user=admin_user)
    assert (bytes(record.content), record.created_by, record.file_name) == (report, admin_user, "report.xlsx")
    assert not Indicator.objects.exists()
    imported = kpis_upload_import(token=str(record.token), user=admin_user)
    assert imported.summary_lines() == result.summary_lines()
    record.refresh_from_db()
    assert record.state == KpiImport.State.APPLIED and bytes(record.content) == b""
    assert record.created_count == 49


def test_another_admin_cannot_import_someone_elses_upload(client, admin_user, other_admin, report):
    client.force_login(admin_user)
    token = preview(client, report).context["token"]
    client.force_login(other_admin)
    response = client.post(URL, {"action": "import", "token": token})
    assert response.status_code == 400 and PREVIEW_EXPIRED in response.content.decode()
    assert not Value.objects.exists()
    client.force_login(admin_user)
    client.post(URL, {"action": "import", "token": token})
    assert Value.objects.count() == 33


def test_an_expired_upload_says_so(client, admin_user, report):
    client.force_login(admin_user)
    token = preview(client, report).context["token"]
    KpiImport.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(URL, {"action": "import", "token": token})
    assert response.status_code == 400
    assert UPLOAD_EXPIRED.format(name="report.xlsx") in response.content.decode()
    assert not Value.objects.exists()


def test_a_confirmed_upload_cannot_be_imported_twice(db, admin_user, report):
    _, record = kpis_upload_preview(name="report.xlsx", content=report, user=admin_user)
    kpis_upload_import(token=str(record.token), user=admin_user)
    with pytest.raises(UploadGone, match="expired or was replaced"):
        kpis_upload_import(token=str(record.token), user=admin_user)
    assert Value.objects.count() == 33 and KpiImport.objects.get().state == KpiImport.State.APPLIED


@pytest.mark.parametrize("token", ["", "not-a-token", "00000000-0000-0000-0000-000000000000"])
def test_a_token_that_names_no_upload_is_refused(db, admin_user, token):
    with pytest.raises(UploadGone, match="expired or was replaced"):
        kpis_upload_import(token=token, user=admin_user)


def test_a_new_upload_replaces_the_admins_earlier_one_and_purges_expired_ones(db, admin_user, other_admin, report):
    _, first = kpis_upload_preview(name="first.xlsx", content=report, user=admin_user)
    _, theirs = kpis_upload_preview(name="theirs.xlsx", content=report, user=other_admin)
    KpiImport.objects.filter(pk=theirs.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _, second = kpis_upload_preview(name="second.xlsx", content=report, user=admin_user)
    assert list(KpiImport.objects.values_list("file_name", flat=True)) == ["second.xlsx"]
    with pytest.raises(UploadGone):
        kpis_upload_import(token=str(first.token), user=admin_user)


def test_purge_deletes_only_expired_pending_uploads(db, admin_user, report):
    kpis_import(file=save(seed_report()), user=admin_user)  # applied: the history stays
    _, pending = kpis_upload_preview(name="later.xlsx", content=report, user=admin_user)
    assert pending is None  # nothing left to import: nothing kept
    workbook = seed_report(months=["Sep 18", "Oct 18", "Nov 18", "Dec 18", "Jan 19"])
    _, pending = kpis_upload_preview(name="later.xlsx", content=save(workbook).getvalue(), user=admin_user)
    assert uploads_purge(KpiImport) == 0
    assert uploads_purge(KpiImport, now=timezone.now() + dt.timedelta(hours=2)) == 1
    assert list(KpiImport.objects.values_list("state", flat=True)) == [KpiImport.State.APPLIED]


def test_a_bug_while_reading_is_not_reported_as_a_damaged_file(client, admin_user, report, monkeypatch):
    def broken(self, index):
        raise AttributeError("a bug, not the file")

    monkeypatch.setattr(kpi_workbook._SheetReader, "layout_of", broken)
    client.force_login(admin_user)
    with pytest.raises(AttributeError, match="a bug, not the file"):
        preview(client, report)


def test_the_admin_lists_imports_and_cannot_change_them(admin_client, report):
    kpis_import(file=save(seed_report()))
    record = KpiImport.objects.get()
    assert admin_client.get(reverse("admin:kpis_kpiimport_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:kpis_kpiimport_change", args=[record.pk]))
    assert page.status_code == 200 and "Save" not in page.content.decode()
