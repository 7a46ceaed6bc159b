"""manage.py backup and restore, as separate processes on real databases (SQLite files, or PostgreSQL databases
of the test's own when the suite runs on PostgreSQL): a restored copy exports the same plan and KPIs, every
issued pack still matches its checksum, and restore refuses a non-empty database or media folder or an altered
archive."""

import io
import json
import os
import subprocess
import tarfile
import uuid

import psycopg
import pytest
from django.conf import settings

from tests.processes import PYTHON, ROOT

ISSUE_A_PACK = """
import datetime as dt
from django.contrib.auth.models import User
from django.utils import timezone
from plans.models import Plan
from reports import services
plan = Plan.objects.get()
today = timezone.localdate()
pack = services.board_pack_create(plan=plan, as_of=today, meeting_date=today + dt.timedelta(days=7))
services.board_pack_issue(pack=pack, issued_by=User.objects.get(username="admin"))
"""
PACKS_INTACT = """
from reports.models import BoardPack
issued = BoardPack.objects.exclude(issued_at=None)
print(issued.count(), all(pack.pdf_is_intact() for pack in issued))
"""
# The restored database takes new rows (its id sequences were moved past the restored rows).
WORK_ON = """
from django.contrib.auth.models import User
from plans.models import Action
from plans.services import action_update
action = Action.objects.order_by("pk").first()
admin = User.objects.get(username="admin")
action_update(action=action, author=admin, status=action.status, commentary="After restore")
User.objects.create_user("new-after-restore")
"""
# Every table's row count: a restore adds nothing (no history written while loading) and loses nothing.
ROW_COUNTS = """
from django.apps import apps
skip = {"contenttypes", "auth.permission", "sessions", "axes", "common.workerheartbeat"}
for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
    if model._meta.app_label in skip or model._meta.label_lower in skip:
        continue
    print(model._meta.label, model._base_manager.count())
"""


@pytest.fixture
def database_url():
    """A function giving an empty database's URL: a SQLite file, or a new PostgreSQL database dropped after."""
    made = []
    engine = settings.DATABASES["default"]["ENGINE"]

    def new(tmp_path, name):
        if engine.endswith("sqlite3"):
            return f"sqlite:///{tmp_path}/{name}.sqlite3"
        db = settings.DATABASES["default"]
        database = f"{db['NAME'].removeprefix('test_')}_backup_{name}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(_server_url(db, "postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        made.append(database)
        return _server_url(db, database)

    yield new
    for database in made:
        with psycopg.connect(_server_url(settings.DATABASES["default"], "postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _server_url(db, name):
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def manage(*args, env, check=True):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def site(tmp_path, name, url):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "improvement.settings",
        "DEBUG": "1",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / f"{name}-media"),
    }


def exports(env, tmp_path, name):
    manage(
        "export_plan", "csc-improvement-plan", "--format", "json", "-o", str(tmp_path / f"{name}-plan.json"), env=env
    )
    manage("export_kpis", "--format", "json", "-o", str(tmp_path / f"{name}-kpis.json"), env=env)
    return json.loads((tmp_path / f"{name}-plan.json").read_text()), json.loads(
        (tmp_path / f"{name}-kpis.json").read_text()
    )


def test_a_restored_backup_exports_the_same_plan_and_kpis_and_its_packs_verify(tmp_path, database_url):
    source = site(tmp_path, "source", database_url(tmp_path, "source"))
    manage("migrate", "--no-input", "-v0", env=source)
    manage("load_demo", "--current", env=source)
    manage("shell", "--no-imports", "-c", ISSUE_A_PACK, env=source)
    archive = tmp_path / "tracker.tar.gz"
    result = manage("backup", "-o", str(archive), env=source)
    assert "1 media file(s)" in result.stdout

    copy = site(tmp_path, "copy", database_url(tmp_path, "copy"))
    result = manage("restore", str(archive), env=copy)
    assert "Restored" in result.stdout and "1 media file(s)" in result.stdout

    assert exports(copy, tmp_path, "copy") == exports(source, tmp_path, "source")
    counts = manage("shell", "--no-imports", "-c", ROW_COUNTS, env=copy).stdout
    assert counts == manage("shell", "--no-imports", "-c", ROW_COUNTS, env=source).stdout
    assert "plans.HistoricalAction 0" not in counts
    assert manage("shell", "--no-imports", "-c", PACKS_INTACT, env=copy).stdout.split() == ["1", "True"]
    # The restored site signs in the demo users with their passwords and works on: a new update saves.
    signed_in = "from django.contrib.auth import authenticate; print(authenticate(username='manager', password='demo'))"
    assert manage("shell", "--no-imports", "-c", signed_in, env=copy).stdout.strip() == "manager"
    manage("shell", "--no-imports", "-c", WORK_ON, env=copy)

    # Restore refuses a database that has rows, and a media folder that has files.
    refused = manage("restore", str(archive), env=copy, check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    other = site(tmp_path, "other", database_url(tmp_path, "other"))
    (tmp_path / "other-media").mkdir()
    (tmp_path / "other-media" / "left-over.pdf").write_bytes(b"%PDF")
    refused = manage("restore", str(archive), env=other, check=False)
    assert refused.returncode != 0 and "media folder" in refused.stderr and "not empty" in refused.stderr


def test_restore_refuses_an_altered_archive_before_writing_anything(tmp_path, database_url):
    source = site(tmp_path, "source", database_url(tmp_path, "source"))
    manage("migrate", "--no-input", "-v0", env=source)
    archive = tmp_path / "tracker.tar.gz"
    manage("backup", "-o", str(archive), env=source)

    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive, "r:gz") as original, tarfile.open(altered, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "database.json":
                data = data + b" "
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    target = site(tmp_path, "target", database_url(tmp_path, "target"))
    refused = manage("restore", str(altered), env=target, check=False)
    assert refused.returncode != 0 and "database.json does not match its checksum" in refused.stderr

    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("hello")
    refused = manage("restore", str(not_ours), env=target, check=False)
    assert refused.returncode != 0 and "is not a backup made by" in refused.stderr
