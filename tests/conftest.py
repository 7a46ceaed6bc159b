import pytest

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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests sign users in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
