"""Settings come from the environment, and production values pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "sqlite:////tmp/improvement-deploy-check.sqlite3",
}


def manage(*args, env):
    environment = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    # The project's settings, not the suite's (tests/settings.py turns DEBUG on).
    environment["DJANGO_SETTINGS_MODULE"] = "improvement.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**environment, **env}, capture_output=True, text=True
    )


def test_check_deploy_reports_nothing_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_the_laptop_defaults():
    result = manage("check", "--deploy", env={"DEBUG": "1"})
    assert "security.W018" in result.stdout + result.stderr  # DEBUG on
    assert "security.W009" in result.stdout + result.stderr  # insecure SECRET_KEY


def test_database_url_chooses_the_database():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env=env,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


@pytest.mark.parametrize(
    ("unset", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "django-insecure-laptop-only-key-do-not-use-in-production"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the host"),
    ],
)
def test_it_refuses_to_start_as_production_without_a_real_key_and_hosts(unset, named):
    # DEBUG unset is production: no laptop key, no default hosts.
    env = {key: value for key, value in PRODUCTION.items() if key != "DEBUG"} | unset
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


def test_debug_unset_is_production():
    env = {key: value for key, value in PRODUCTION.items() if key != "DEBUG"}
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)", env=env)
    assert result.stdout.strip() == "False", result.stderr
