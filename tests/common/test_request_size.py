"""A request body past settings.REQUEST_MAX_BYTES is refused with 413 before anything reads it (probe 9 of issue 21)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.middleware import REQUEST_TOO_LARGE
from plans import roles
from tests.factories import user_with_role


class BodyNeverRead:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_anonymous_500_mb_post_is_refused_before_its_body_is_read(client, settings):
    size = 500 * 1024 * 1024
    response = client.generic(
        "POST",
        reverse("plans:import_start"),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": BodyNeverRead()},
    )
    assert response.status_code == 413
    assert response.text == REQUEST_TOO_LARGE.format(size=500, limit=settings.REQUEST_MAX_BYTES / 1024 / 1024)


def test_the_limit_is_a_setting_above_the_largest_import(settings):
    assert settings.REQUEST_MAX_BYTES > settings.IMPORT_MAX_BYTES


@pytest.mark.django_db
def test_an_upload_past_the_limit_is_refused_for_an_admin_too(client, settings):
    settings.REQUEST_MAX_BYTES = 4096
    client.force_login(user_with_role(roles.ADMIN))
    workbook = SimpleUploadedFile("plan.xlsx", b"PK" + b"x" * 8000)
    response = client.post(reverse("kpis:import"), {"workbook": workbook})
    assert response.status_code == 413
