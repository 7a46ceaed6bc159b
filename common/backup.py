"""One archive of the database and the media (issued board pack PDFs), with checksums; and its restore.

The archive (tar.gz) holds `manifest.json` (format, when, which database, applied migrations, the SHA-256 and
size of every other member), `database.json` (Django's serialised rows) and `media/...`.

The rows are one consistent snapshot taken while the app runs: on PostgreSQL they are read inside one
REPEATABLE READ, READ ONLY transaction; on SQLite the file is first copied with SQLite's online backup API
(writers are not stopped, the copy is of one moment) and the rows are read from the copy. Django's own
serialiser (not pg_dump) makes the archive independent of the server's version, and restorable into either
database. Restore goes only into an empty database and an empty media folder, and checks every checksum before
it writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
# dumpdata's JSON with times to the microsecond (common/exact_json.py); loaddata reads it as plain JSON.
EXACT_JSON = "exact-json"
MEDIA = "media"
# Rebuilt by migrate (content types, permissions, the role groups) or worthless elsewhere (sessions, lockouts,
# heartbeats): not part of a backup, and allowed in the database a backup is restored into.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes", "common.workerheartbeat"]
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "auth.group", "auth.group_permissions"}
SNAPSHOT_ALIAS = "backup_snapshot"

NOT_AN_ARCHIVE = "{path} is not a backup made by `manage.py backup` ({reason})."
CHECKSUM_MISMATCH = "{path}: {member} does not match its checksum in the manifest; the archive is damaged or altered."
DATABASE_NOT_EMPTY = (
    "The database is not empty ({tables}): restore only goes into a new, empty database. "
    "Create one, point DATABASE_URL at it and run restore again."
)
MEDIA_NOT_EMPTY = "The media folder {folder} is not empty: restore only goes into an empty (or missing) media folder."
UNKNOWN_MIGRATIONS = (
    "The backup was made by a newer version of the tracker (migrations this code does not have: {names}). "
    "Restore it with that version."
)


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    # .health-* files are /health/'s write probes, gone a moment later.
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".health-"))


def _applied_migrations(alias: str) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connections[alias]).applied_migrations())


@contextmanager
def _snapshot(alias: str, workdir: Path):
    """A database alias whose rows are one moment's, for as long as the block runs."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        copy = workdir / "snapshot.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        connections.settings[SNAPSHOT_ALIAS] = {**connection.settings_dict, "NAME": str(copy)}
        try:
            yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            del connections.settings[SNAPSHOT_ALIAS]
    else:
        with transaction.atomic(using=alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield alias


def backup(output: Path, *, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `output` (atomically: a finished archive or none); its manifest."""
    output = Path(output)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as tmp:
        workdir = Path(tmp)
        rows = workdir / DATABASE
        with _snapshot(alias, workdir) as snapshot:
            migrations = _applied_migrations(snapshot)
            serializers.register_serializer(EXACT_JSON, "common.exact_json")
            call_command(
                "dumpdata",
                format=EXACT_JSON,
                database=snapshot,
                natural_foreign=True,
                exclude=NOT_BACKED_UP,
                output=str(rows),
                verbosity=0,
            )
        # Media after the rows: a pack issued meanwhile adds a file the rows do not mention (harmless); a pack
        # the rows mention was written before its row was committed, so it is here.
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": connections[alias].vendor},
            "migrations": migrations,
            "members": {DATABASE: {"sha256": _sha256(rows), "size": rows.stat().st_size}},
        }
        for path in files:
            name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
            manifest["members"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        partial = output.with_name(f".{output.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(rows, arcname=DATABASE)
            for path in files:
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        partial.replace(output)
    return manifest


def _read_archive(path: Path, workdir: Path) -> dict:
    """Unpack into `workdir` after checking it is ours; every member's checksum verified; the manifest."""
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below; errors name the file
    except (OSError, tarfile.TarError) as error:
        raise BackupError(NOT_AN_ARCHIVE.format(path=path, reason=error)) from error
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError, TypeError) as error:
            raise BackupError(NOT_AN_ARCHIVE.format(path=path, reason="no readable manifest.json")) from error
        if manifest.get("format") != FORMAT:
            raise BackupError(NOT_AN_ARCHIVE.format(path=path, reason=f"format {manifest.get('format')!r}"))
        members = manifest.get("members", {})
        names = {m.name for m in archive.getmembers() if m.isfile()} - {MANIFEST}
        if names != set(members) or DATABASE not in members:
            raise BackupError(NOT_AN_ARCHIVE.format(path=path, reason="its files do not match its manifest"))
        # The "data" filter refuses absolute paths, "..", links and devices: an archive cannot write outside.
        archive.extractall(workdir, members=[m for m in archive.getmembers() if m.name in members], filter="data")
    for member, expected in members.items():
        if _sha256(workdir / member) != expected["sha256"]:
            raise BackupError(CHECKSUM_MISMATCH.format(path=path, member=member))
    return manifest


def _non_empty_tables(alias: str) -> list[str]:
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    filled = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        table = model._meta.db_table
        if label in MADE_BY_MIGRATE or table not in existing:
            continue
        if model._base_manager.using(alias).exists():
            filled.append(table)
    return filled


def restore(path: Path, *, alias: str = DEFAULT_DB_ALIAS, stdout=None) -> dict:
    """Restore the archive into this (empty) database and (empty) media folder; what was restored."""
    media_root = Path(settings.MEDIA_ROOT)
    if _media_files(media_root):
        raise BackupError(MEDIA_NOT_EMPTY.format(folder=media_root))
    if filled := _non_empty_tables(alias):
        raise BackupError(DATABASE_NOT_EMPTY.format(tables=", ".join(sorted(filled)[:5])))
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as tmp:
        workdir = Path(tmp)
        manifest = _read_archive(Path(path), workdir)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        known = {tuple(item) for item in _applied_migrations(alias)}
        if unknown := [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]:
            raise BackupError(UNKNOWN_MIGRATIONS.format(names=", ".join(unknown[:5])))
        with transaction.atomic(using=alias):
            # The role groups migrate made are replaced by the backup's own (same names, the backup's ids).
            from django.contrib.auth.models import Group

            Group.objects.using(alias).all().delete()
            # So are the tasks migrate queued (the weekly digest's chain restarts there): the backup holds the
            # queue as it was, and keeping both would run two chains from then on.
            apps.get_model("django_tasks_database", "DBTaskResult").objects.using(alias).all().delete()
            # The rows include the history; django-simple-history must not write more of it while they load
            # (its many-to-many signal ignores loaddata's raw flag).
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(workdir / DATABASE), database=alias, verbosity=0)
        media_files = [name for name in manifest["members"] if name.startswith(f"{MEDIA}/")]
        for name in media_files:
            target = media_root / name.removeprefix(f"{MEDIA}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(workdir / name, target)
    return {"rows_from": manifest["created_at"], "media_files": len(media_files)}
