"""Board pack runs survive a dead worker and a full disk: nothing lost, nothing wedged (probes 7 and 8 of issue 21)."""

import datetime as dt
import io
import resource
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports import services
from reports.models import BoardPack, heartbeat_timeout
from reports.storage import NOT_STORED, PARTIAL_SUFFIX, FileNotStored
from reports.tasks import generate_board_pack, heartbeat
from tests.reports.conftest import days


@pytest.fixture
def draft(small_plan):
    plan, _actions = small_plan
    return services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7), next_meeting_date=days(35))


def _running(pack, *, silent_for):
    BoardPack.objects.filter(pk=pack.pk).update(
        generation=BoardPack.Generation.RUNNING, progress=40, progress_at=timezone.now() - silent_for
    )
    pack.refresh_from_db()
    return pack


def test_a_run_whose_heartbeat_stopped_may_be_asked_again_at_once(draft, admin_user):
    alive = _running(draft, silent_for=dt.timedelta(seconds=1))
    assert alive.is_generating
    with pytest.raises(Exception, match=services.ALREADY_GENERATING):
        services.board_pack_request(pack=alive, requested_by=admin_user)

    dead = _running(draft, silent_for=heartbeat_timeout() + dt.timedelta(seconds=1))
    assert dead.generation_stalled and not dead.is_generating
    assert services.board_pack_request(pack=dead, requested_by=admin_user).generation == BoardPack.Generation.QUEUED


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_run_alive(small_plan):
    plan, _actions = small_plan
    pack = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    pack = _running(pack, silent_for=dt.timedelta(hours=1))
    with heartbeat(pack.pk, every=0.01):
        for _ in range(3000):  # until the thread has beaten once, however busy the machine is
            pack.refresh_from_db()
            if not pack.generation_stalled:
                break
            time.sleep(0.01)
    assert not pack.generation_stalled


@pytest.mark.django_db(transaction=True)
def test_a_worker_starting_resumes_the_run_a_dead_worker_left(small_plan, admin_user):
    plan, _actions = small_plan
    pack = services.board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    # The worker took the run to issue the pack, got to 40% and was killed.
    left = generate_board_pack.enqueue(pack_id=pack.pk, issue=True, user_id=admin_user.pk)
    DBTaskResult.objects.filter(pk=left.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    _running(pack, silent_for=heartbeat_timeout() * 2)

    out = io.StringIO()
    call_command("worker", "--batch", "--no-reload", "--interval", "0", stdout=out, verbosity=0)

    pack.refresh_from_db()
    assert f"Resumed the interrupted run of {pack}." in out.getvalue()
    assert (pack.status, pack.generation, pack.progress) == (BoardPack.Status.ISSUED, "done", 100)  # as it was asked
    assert DBTaskResult.objects.get(pk=left.id).status == TaskResultStatus.FAILED


@contextmanager
def disk_full_past(size):
    """Every file this process writes stops growing at `size` bytes, as on a full disk (the OS refuses: EFBIG)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def _pack_files(media_root):
    return sorted(path.name for path in Path(media_root).rglob("*") if path.is_file())


def disk_fills_while_storing(monkeypatch):
    """The disk fills up while the PDF is written (WeasyPrint's own temporary fonts, written before, still fit)."""
    real_store_file = services.store_file

    def store_file_on_a_full_disk(*args, **kwargs):
        with disk_full_past(1024):
            return real_store_file(*args, **kwargs)

    monkeypatch.setattr(services, "store_file", store_file_on_a_full_disk)


def test_a_full_disk_keeps_the_good_draft_and_leaves_no_partial_file(draft, admin_user, media_root, monkeypatch):
    good = services.board_pack_generate(pack=draft)
    good_name, good_content = good.pdf.name, good.read_pdf()
    disk_fills_while_storing(monkeypatch)

    with pytest.raises(FileNotStored) as refused:
        services.board_pack_generate(pack=good)
    assert str(refused.value) == NOT_STORED.format(reason="File too large")

    with pytest.raises(FileNotStored):
        services.board_pack_issue(pack=BoardPack.objects.get(pk=draft.pk), issued_by=admin_user)

    kept = BoardPack.objects.get(pk=draft.pk)
    assert (kept.status, kept.pdf.name) == (BoardPack.Status.DRAFT, good_name)
    assert kept.read_pdf() == good_content and kept.pdf_is_intact(good_content)
    assert _pack_files(media_root) == [Path(good_name).name]  # no partial file, nothing truncated
    assert not any(name.endswith(PARTIAL_SUFFIX) for name in _pack_files(media_root))


def test_issuing_keeps_the_draft_until_the_issued_pdf_is_recorded(
    draft, admin_user, media_root, django_capture_on_commit_callbacks
):
    services.board_pack_generate(pack=draft)
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.board_pack_issue(pack=BoardPack.objects.get(pk=draft.pk), issued_by=admin_user)
    assert issued.pdf_is_intact()
    assert _pack_files(media_root) == [Path(issued.pdf.name).name]  # the draft's file went once the record was safe


def test_the_check_finds_orphans_and_missing_files_and_can_delete_orphans(draft, admin_user, media_root):
    pack = services.board_pack_generate(pack=draft)
    folder = Path(media_root) / "board-packs" / pack.plan.slug
    (folder / f"left-by-a-crash.pdf.1234abcd{PARTIAL_SUFFIX}").write_bytes(b"%PDF-1.7 cut")
    (folder / "of-a-deleted-pack.pdf").write_bytes(b"%PDF-1.7")

    with pytest.raises(CommandError, match="2 orphan file"):
        call_command("check_pack_files", stdout=(out := io.StringIO()))
    assert "Orphan file (no pack points at it): board-packs/small-plan/of-a-deleted-pack.pdf" in out.getvalue()

    call_command("check_pack_files", "--delete", stdout=io.StringIO())
    assert _pack_files(media_root) == [Path(pack.pdf.name).name]
    call_command("check_pack_files", stdout=(clean := io.StringIO()))
    assert "Every board pack file belongs to a pack" in clean.getvalue()

    Path(media_root, pack.pdf.name).unlink()
    with pytest.raises(CommandError, match="1 missing"):
        call_command("check_pack_files", stdout=io.StringIO())
