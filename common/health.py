"""`GET /health/`: 200 and JSON when the database answers, media is writable and a worker was seen; else 503."""

import datetime as dt
import logging
import tempfile
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _media():
    folder = settings.MEDIA_ROOT
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-") as probe:
        probe.write(b"ok")
        probe.flush()
    return {"ok": True}


def _worker():
    newest = WorkerHeartbeat.objects.order_by("-last_seen").first()
    if newest is None:
        return {"ok": False, "error": "no board pack worker has ever been seen (run `manage.py worker`)"}
    age = (timezone.now() - newest.last_seen).total_seconds()
    limit = settings.WORKER_SEEN_WITHIN_SECONDS
    alive = WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - dt.timedelta(seconds=limit)).count()
    if age > limit:
        return {
            "ok": False,
            "error": f"no board pack worker seen for {int(age)} s (limit {limit} s)",
            "last_seen": newest.last_seen.isoformat(),
        }
    return {"ok": True, "workers": alive, "last_seen": newest.last_seen.isoformat()}


CHECKS = {"database": _database, "media": _media, "worker": _worker}


@login_not_required
@never_cache
@require_GET
def health(request):
    started = time.perf_counter()
    results = {}
    for name, check in CHECKS.items():
        if name == "worker" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "not checked: the database did not answer"}
            continue
        try:
            results[name] = check()
        except Exception as error:  # a health check reports what failed; it never raises
            # The page needs no sign-in: it names the failure, the log keeps the details (hosts, paths).
            logger.exception("Health check %s failed", name)
            results[name] = {"ok": False, "error": type(error).__name__}
    failed = [name for name, result in results.items() if not result["ok"]]
    body = {
        "status": "ok" if not failed else "failing",
        "failed": failed,
        "checks": results,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=503 if failed else 200)
