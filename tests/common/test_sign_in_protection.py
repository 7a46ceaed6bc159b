"""Sign-in protection: 10 failed sign-ins for a user from one address pause signing in (even with the right
password) with a clear page; an admin unlocks; password validators are on; an idle session is signed out."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.middleware import LAST_SEEN
from plans import roles
from tests.factories import user_with_role

PASSWORD = "correct-horse-battery"


@pytest.fixture
def manager(db):
    user = user_with_role(roles.MANAGER, username="lee")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_it_signs_in_with_the_right_password(client, manager):
    response = sign_in(client, "lee", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_pauses_sign_in_after_ten_failures_even_with_the_right_password(client, manager):
    for attempt in range(9):
        response = sign_in(client, "lee", f"wrong-{attempt}")
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
    assert sign_in(client, "lee", "wrong-9").status_code == 429

    response = sign_in(client, "lee", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page and "paused for 15 minutes" in page and "ask the performance team" in page
    assert "_auth_user_id" not in client.session


def test_it_counts_failures_per_user_and_address(client, manager):
    for attempt in range(10):
        sign_in(client, "lee", f"wrong-{attempt}", address="10.0.0.7")
    # A colleague behind the same council address is not locked out, nor is Lee from another address.
    user_with_role(roles.VIEWER, username="sam").set_password(PASSWORD)
    assert sign_in(client, "lee", PASSWORD, address="10.9.9.9").status_code == 302


def test_it_lets_the_lockout_expire(client, manager, settings):
    for attempt in range(10):
        sign_in(client, "lee", f"wrong-{attempt}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1))
    assert sign_in(client, "lee", PASSWORD).status_code == 302


def test_an_admin_unlocks_from_the_users_page(client, manager, admin_user):
    # The account administrator (a superuser, like the demo's admin) manages users.
    admin_user.is_superuser = True
    admin_user.save()
    for attempt in range(10):
        sign_in(client, "lee", f"wrong-{attempt}")
    assert sign_in(client, "lee", PASSWORD).status_code == 429

    admin_client = type(client)()
    admin_client.force_login(admin_user)
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [manager.pk]},
        follow=True,
    )
    assert "Signing in is unlocked for 1 user(s)" in response.content.decode()
    assert sign_in(client, "lee", PASSWORD).status_code == 302


def test_a_viewer_cannot_unlock(client, viewer, manager):
    client.force_login(viewer)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "unlock_sign_in", "_selected_action": [manager.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("password", ["password", "12345678901", "lee", "short"])
def test_it_refuses_weak_passwords(manager, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=manager)


def test_it_signs_out_an_idle_session(client, manager, settings):
    client.force_login(manager)
    assert client.get(reverse("plans:my_actions")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(timezone.now().timestamp()) - settings.SESSION_IDLE_MINUTES * 60 - 1
    session.save()
    response = client.get(reverse("plans:my_actions"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_activity_keeps_a_session_alive(client, manager, settings):
    client.force_login(manager)
    session = client.session
    session[LAST_SEEN] = int(timezone.now().timestamp()) - settings.SESSION_IDLE_MINUTES * 60 + 30
    session.save()
    assert client.get(reverse("plans:my_actions")).status_code == 200
    assert client.session[LAST_SEEN] >= int(timezone.now().timestamp()) - 5
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60


def test_scripts_and_the_test_client_still_sign_in_without_a_request(client, manager):
    # authenticate() without a request has no address to count against: the password decides.
    assert client.login(username="lee", password=PASSWORD)
    assert not client.login(username="lee", password="wrong")
