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

# The source site in one process: the demo as `make run` loads it, and one pack issued (one media file).
DEMO_WITH_AN_ISSUED_PACK = """
import datetime as dt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from plans.models import Plan
from reports import services
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", "--current")
plan = Plan.objects.get()
today = timezone.localdate()
# One area's summary: a real issued PDF to back up and verify, without laying out the whole demo plan.
pack = services.board_pack_create(
    plan=plan, as_of=today, meeting_date=today + dt.timedelta(days=7), areas=[plan.areas.first()], sections=["summary"]
)
services.board_pack_issue(pack=pack, issued_by=User.objects.get(username="admin"))
"""
# What a site holds, read in one process (each manage.py start costs a second and a half of imports): the plan and
# KPI exports, every table's row count (a restore adds nothing, as no history is written while loading, and loses
# nothing), whether every issued pack matches its checksum, and whether the demo manager signs in with the password.
READ_SITE = """
import json, pathlib, tempfile
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from reports.models import BoardPack
folder = pathlib.Path(tempfile.mkdtemp())
call_command("export_plan", "csc-improvement-plan", "--format", "json", "-o", str(folder / "plan.json"))
call_command("export_kpis", "--format", "json", "-o", str(folder / "kpis.json"))
skip = {"contenttypes", "auth.permission", "sessions", "axes", "common.workerheartbeat"}
counts = [
    f"{model._meta.label} {model._base_manager.count()}"
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label)
    if model._meta.app_label not in skip and model._meta.label_lower not in skip
]
issued = BoardPack.objects.exclude(issued_at=None)
print("SITE " + json.dumps({
    "plan": json.loads((folder / "plan.json").read_text()),
    "kpis": json.loads((folder / "kpis.json").read_text()),
    "counts": counts,
    "packs": [issued.count(), all(pack.pdf_is_intact() for pack in issued)],
    "signed_in": str(authenticate(username="manager", password="demo")),
}))
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


@pytest.fixture(scope="module")
def database_url():
    """A function giving an empty database's URL: a SQLite file, or a new PostgreSQL database dropped after the
    module (each database has a name of its own, so no two tests ever share one)."""
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


def read_site(env, *then):
    """READ_SITE's findings on a site, then any further script run in the same process."""
    output = manage("shell", "--no-imports", "-c", "\n".join([READ_SITE, *then]), env=env).stdout
    [line] = [line for line in output.splitlines() if line.startswith("SITE ")]
    return json.loads(line.removeprefix("SITE "))


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory, database_url):
    """The demo site with one issued pack, and its backup archive: made once, only read by the tests (each restores
    into databases and media folders of its own)."""
    folder = tmp_path_factory.mktemp("backup")
    source = site(folder, "source", database_url(folder, "source"))
    manage("shell", "--no-imports", "-c", DEMO_WITH_AN_ISSUED_PACK, env=source)
    archive = folder / "tracker.tar.gz"
    result = manage("backup", "-o", str(archive), env=source)
    return source, archive, result.stdout


def test_a_restored_backup_exports_the_same_plan_and_kpis_and_its_packs_verify(tmp_path, database_url, demo_backup):
    source, archive, backed_up = demo_backup
    assert "1 media file(s)" in backed_up

    copy = site(tmp_path, "copy", database_url(tmp_path, "copy"))
    result = manage("restore", str(archive), env=copy)
    assert "Restored" in result.stdout and "1 media file(s)" in result.stdout

    # The restored site signs in the demo users with their passwords and works on: a new update saves.
    restored = read_site(copy, WORK_ON)
    original = read_site(source)
    assert restored["plan"] == original["plan"]
    assert restored["kpis"] == original["kpis"]
    assert restored["counts"] == original["counts"]
    assert "plans.HistoricalAction 0" not in restored["counts"]
    assert restored["packs"] == [1, True]
    assert restored["signed_in"] == "manager"

    # Restore refuses a database that has rows, and a media folder that has files.
    refused = manage("restore", str(archive), env=copy, check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    other = site(tmp_path, "other", database_url(tmp_path, "other"))
    (tmp_path / "other-media").mkdir()
    (tmp_path / "other-media" / "left-over.pdf").write_bytes(b"%PDF")
    refused = manage("restore", str(archive), env=other, check=False)
    assert refused.returncode != 0 and "media folder" in refused.stderr and "not empty" in refused.stderr


def test_restore_refuses_an_altered_archive_before_writing_anything(tmp_path, database_url, demo_backup):
    _source, archive, _backed_up = demo_backup

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
