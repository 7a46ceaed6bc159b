"""The import page: admins upload a workbook, see what would change and every bad cell, then import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.spreadsheets.uploads import PREVIEW_EXPIRED
from kpis.models import Indicator, Value

from .workbooks import save, seed_report

URL = reverse("kpis:import")


def upload(content=None, name="report.xlsx"):
    content = save(seed_report()).getvalue() if content is None else content
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_preview_then_import(client, admin_user):
    client.force_login(admin_user)
    preview = client.post(URL, {"action": "preview", "workbook": upload()})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview of report.xlsx: nothing has been written yet" in html
    assert "Created: 2 sections, 8 indicators, 33 values, 6 targets" in html
    assert "KPIs!D13: &quot;abc&quot; is not a number" in html
    assert not Indicator.objects.exists()

    done = client.post(URL, {"action": "import", "token": preview.context["token"]}, follow=True)
    assert "Imported report.xlsx. Created: 2 sections, 8 indicators, 33 values" in done.content.decode()
    assert Value.objects.count() == 33

    again = client.post(URL, {"action": "import", "token": preview.context["token"]})
    assert PREVIEW_EXPIRED in again.content.decode() and Value.objects.count() == 33


def test_a_file_already_imported_has_nothing_to_import(client, admin_user):
    client.force_login(admin_user)
    client.post(URL, {"action": "import", "token": client.post(URL, {"workbook": upload()}).context["token"]})
    response = client.post(URL, {"action": "preview", "workbook": upload()})
    assert "there is nothing to import" in response.content.decode()
    assert "Import now" not in response.content.decode()


def test_a_bad_file_is_explained(client, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, {"action": "preview", "workbook": upload(b"not a workbook", name="notes.xlsx")})
    assert response.status_code == 400
    assert "notes.xlsx: The file is a text file" in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "board_member", "viewer"])
def test_only_admins_import(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "preview", "workbook": upload()}).status_code == 403
    assert not Indicator.objects.exists()
