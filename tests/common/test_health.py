"""/health/: no sign-in; 200 and JSON when the database answers, media is writable and a worker was seen
within WORKER_SEEN_WITHIN_SECONDS; 503 naming what failed otherwise. Log records are one JSON line each."""

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from common.logging import OneLineFormatter, RequestContextFilter
from common.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def seen(seconds_ago):
    at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=f"w{seconds_ago}", hostname="app-1", pid=1, started_at=at, last_seen=at
    )


def test_it_answers_200_with_json_when_all_is_well(client, db):
    seen(5)
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["media"]["ok"]
    assert body["checks"]["worker"]["workers"] == 1
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_names_a_worker_not_seen_for_too_long(client, db, settings):
    seen(settings.WORKER_SEEN_WITHIN_SECONDS + 60)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert "no board pack worker seen for" in response.json()["checks"]["worker"]["error"]


def test_it_names_a_worker_never_started(client, db):
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["failed"] == ["worker"]


def test_it_names_media_that_cannot_be_written(client, db, settings, tmp_path):
    seen(5)
    settings.MEDIA_ROOT = tmp_path / "not-a-folder"
    settings.MEDIA_ROOT.write_text("a file where the media folder should be")
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["failed"] == ["media"]


def test_it_names_a_database_that_does_not_answer(tmp_path):
    # A real server process whose database cannot be opened (its folder does not exist).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "improvement.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/folder/db.sqlite3",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    code = (
        "from django.test import Client; r = Client().get('/health/'); "
        "import sys; print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["failed"] == ["database", "worker"]
    assert json.loads(body)["checks"]["database"]["error"] == "OperationalError"


def test_a_log_record_is_one_json_line_with_its_traceback_inside():
    handler_output = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            handler_output.append(self.format(record))

    handler = ListHandler()
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(OneLineFormatter())
    logger = logging.getLogger("tests.oneline")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("a\nmulti-line\nproblem")
        except ValueError:
            logger.exception("Pack %s failed", 7, extra={"pack": 7})
    finally:
        logger.removeHandler(handler)
    (line,) = handler_output
    assert "\n" not in line
    event = json.loads(line)
    assert event["message"] == "Pack 7 failed" and event["pack"] == 7
    assert event["request_id"] == "-" and event["user"] == "-"
    assert "ValueError: a\nmulti-line" in event["exception"]
