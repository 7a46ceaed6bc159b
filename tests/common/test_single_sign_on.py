"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit in its own process, RS256 ID
tokens, JWKS, PKCE): the tracker exchanges the code over HTTP, checks the token's signature and nonce, creates
the person and gives them the role their group maps to; a person whose groups map to no role is refused;
local accounts still sign in with a password."""

import os
import subprocess
import urllib.parse

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.urls import reverse

from common.roles import MANAGER, VIEWER
from tests.processes import PYTHON, ROOT, free_port, running, wait_for

CALLBACK = "http://testserver/oidc/callback/"
SETUP_PROVIDER = f"""
from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application
managers = Group.objects.create(name="sg-tracker-managers")
alex = User.objects.create_user("alex.morgan@council.example", password="provider-pass", email="alex@council.example",
                                first_name="Alex", last_name="Morgan")
alex.groups.add(managers)
User.objects.create_user("robin@council.example", password="provider-pass")
Application.objects.create(
    name="Improvement tracker", client_id="tracker", client_secret="tracker-secret", client_type="confidential",
    authorization_grant_type="authorization-code", redirect_uris="{CALLBACK}", algorithm="RS256",
    skip_authorization=True,
)
"""


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The provider's base URL, with users `alex.morgan@council.example` (a manager) and `robin@...` (no group)."""
    tmp = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    env = {key_: value for key_, value in os.environ.items() if not key_.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(tmp / "provider.sqlite3"),
        "OIDC_PROVIDER_RSA_KEY": key.decode(),
    }
    django_admin = [PYTHON, "-m", "django"]
    for command in (["migrate", "-v0"], ["shell", "--no-imports", "-c", SETUP_PROVIDER]):
        result = subprocess.run([*django_admin, *command], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(
        [*django_admin, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, log_path=tmp / "provider.log"
    ) as process:
        wait_for(f"{base}/o/.well-known/openid-configuration", process=process)
        yield base


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "your council account"
    settings.OIDC_RP_CLIENT_ID = "tracker"
    settings.OIDC_RP_CLIENT_SECRET = "tracker-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/o/.well-known/jwks.json"
    settings.OIDC_ROLE_MAP = {"sg-tracker-managers": MANAGER, "sg-tracker-readers": VIEWER}
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "common.oidc.RoleMappingOIDCBackend"]
    return provider


def sign_in_at_provider(client, username):
    """The browser's part: the tracker sends it to the provider, it signs in there and comes back with a code."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    authorize = start["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]

    browser = requests.Session()
    login_page = browser.get(authorize, timeout=30)  # the provider asks the person to sign in first
    token = browser.cookies["csrftoken"]
    answer = browser.post(
        login_page.url,
        data={
            "username": username,
            "password": "provider-pass",
            "csrfmiddlewaretoken": token,
            "next": urllib.parse.parse_qs(urllib.parse.urlsplit(login_page.url).query)["next"][0],
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=30,
    )
    while not answer.headers["Location"].startswith(CALLBACK):
        answer = browser.get(
            urllib.parse.urljoin(answer.url, answer.headers["Location"]), allow_redirects=False, timeout=30
        )
    callback = urllib.parse.urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_a_manager_signs_in_with_the_councils_provider(client, db, sso):
    response = sign_in_at_provider(client, "alex.morgan@council.example")
    assert response.status_code == 302 and response["Location"] == "/"

    person = get_user_model().objects.get(username="alex.morgan@council.example")
    assert person.get_full_name() == "Alex Morgan" and person.email == "alex@council.example"
    assert list(person.groups.values_list("name", flat=True)) == [MANAGER]
    assert not person.has_usable_password() and not person.is_staff
    assert client.get(reverse("plans:my_actions")).status_code == 200
    assert int(client.session["_auth_user_id"]) == person.pk


def test_the_provider_decides_the_role_on_every_sign_in(client, db, sso, settings):
    sign_in_at_provider(client, "alex.morgan@council.example")
    client.logout()
    settings.OIDC_ROLE_MAP = {"sg-tracker-managers": VIEWER}
    sign_in_at_provider(client, "alex.morgan@council.example")
    person = get_user_model().objects.get(username="alex.morgan@council.example")
    assert list(person.groups.values_list("name", flat=True)) == [VIEWER]


def test_someone_with_no_tracker_role_is_refused_with_a_message(client, db, sso):
    response = sign_in_at_provider(client, "robin@council.example")
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?sso=no-role"
    assert not get_user_model().objects.filter(username="robin@council.example").exists()
    page = client.get(response["Location"]).content.decode()
    assert "your account has no role in the tracker" in page


def test_the_sign_in_page_offers_both(client, db, sso, viewer):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" in page and 'name="password"' in page
    viewer.set_password("a-partner-password")
    viewer.save()
    response = client.post(reverse("login"), {"username": viewer.username, "password": "a-partner-password"})
    assert response.status_code == 302


def test_without_configuration_there_is_no_single_sign_on(client, db):
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
