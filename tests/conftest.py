import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from plans import roles
from tests.factories import SponsorFactory, user_with_role


@pytest.fixture
def admin_user(db):
    return user_with_role(roles.ADMIN, username="admin-user")


@pytest.fixture
def manager(db):
    """A manager who is the user of the sponsor `manager_sponsor`."""
    return user_with_role(roles.MANAGER, username="manager-user")


@pytest.fixture
def manager_sponsor(manager):
    return SponsorFactory(abbreviation="ADCSC", role="Assistant Director CSC", user=manager)


@pytest.fixture
def other_manager(db):
    return user_with_role(roles.MANAGER, username="other-manager")


@pytest.fixture
def board_member(db):
    return user_with_role(roles.BOARD_MEMBER, username="board-user")


@pytest.fixture
def viewer(db):
    return user_with_role(roles.VIEWER, username="viewer-user")


FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests sign users in hundreds of times.
    settings.PASSWORD_HASHERS = [FAST_HASHER]


@pytest.fixture(scope="module")
def demo_loaded_once(django_db_setup, django_db_blocker):
    """load_demo's output, loaded and committed once for a module whose tests only read it (each test still runs in a
    transaction of its own, rolled back after it, so one that loads again leaves the demo as it found it); the
    database is emptied after the module (post_migrate recreates the roles).

    The demo users' passwords are hashed as `fast_password_hashing` checks them (it is set per test).
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            call_command("flush", interactive=False, verbosity=0)
