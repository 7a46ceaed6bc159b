"""The 403, 404 and 500 pages are the site's own: its layout, a main landmark, a viewport for phones; and a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.views import defaults


def _is_a_site_page(html):
    return 'name="viewport"' in html and '<main id="main"' in html and "Improvement tracker" in html


@pytest.mark.django_db
def test_a_missing_page_is_a_styled_404(client, viewer):
    client.force_login(viewer)

    response = client.get("/plans/no-such-plan/")

    assert response.status_code == 404
    html = response.content.decode()
    assert _is_a_site_page(html) and "Page not found" in html
    assert "Sign out" in html  # within the site's layout, with its menu


@pytest.mark.django_db
def test_a_forbidden_page_is_a_styled_403_that_says_why(client, viewer, manager):
    client.force_login(viewer)

    response = client.get("/plans/import/")

    assert response.status_code == 403
    html = response.content.decode()
    assert _is_a_site_page(html) and "You cannot do this" in html


@pytest.mark.django_db
def test_the_403_page_escapes_the_reason_it_gives(rf, viewer):
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    request.user = viewer
    response = defaults.permission_denied(request, PermissionDenied("<script>alert(1)</script>"))

    assert "&lt;script&gt;" in response.content.decode() and "<script>alert" not in response.content.decode()


def test_the_500_page_needs_no_context_processor_and_no_database():
    # Django draws 500.html with an empty context: no request, no user, no database (it may be what failed).
    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert _is_a_site_page(html) and "Sorry, something went wrong" in html


def test_a_bad_request_is_a_styled_400():
    response = defaults.bad_request(RequestFactory().get("/"), Exception("bad"))

    assert response.status_code == 400 and _is_a_site_page(response.content.decode())


def test_the_favicon_is_a_static_file_that_browsers_find_at_the_usual_address(client):
    assert finders.find("favicon.svg")

    response = client.get("/favicon.ico")  # no login needed: browsers ask before anyone signs in

    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


@pytest.mark.django_db
def test_every_page_names_the_favicon(client, viewer):
    client.force_login(viewer)

    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/plans/").content.decode()
