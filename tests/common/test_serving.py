"""Production serving: gunicorn (gunicorn.conf.py) and `manage.py worker` as their own processes, DEBUG unset.

/health/ is 503 until a worker has been seen and 200 after; every response carries the security headers; each
request is logged as one JSON line with its request id, user and duration; a stopped worker shows as missing.
"""

import json
import os
import signal
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from tests.processes import BIN, PYTHON, free_port, manage, production_env, running, wait_for

PASSWORD = "a-long-demo-password-for-serving"
# What a release runs before serving (migrate, collectstatic), then a viewer to sign in as.
RELEASE = f"""
from django.contrib.auth.models import Group, User
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
User.objects.create_user("casey", password="{PASSWORD}").groups.add(Group.objects.get(name="Viewer"))
"""


def test_gunicorn_and_the_worker_serve_the_tracker_as_production(tmp_path):
    port = free_port()
    env = production_env(tmp_path, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2")
    # The release steps in one process (each manage.py start costs a second and a half of imports).
    manage("shell", "--no-imports", "-c", RELEASE, env=env)
    base = f"http://127.0.0.1:{port}"

    with running(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--control-socket", str(tmp_path / "ctl")],
        env=env,
        log_path=tmp_path / "web.log",
    ) as web:
        health = wait_for(f"{base}/health/", process=web, ok=(200, 503))
        assert health.status == 503 and health.json()["failed"] == ["worker"]

        with running([PYTHON, "manage.py", "worker"], env=env, log_path=tmp_path / "worker.log") as worker:
            health = wait_for(f"{base}/health/", process=web)
            body = health.json()
            assert body["status"] == "ok" and body["checks"]["worker"]["workers"] == 1

            # The contract: with DEBUG off and a real key, every response carries the security headers.
            for response in (health, sign_in(base), urllib.request.urlopen(f"{base}/static/css/app.css", timeout=10)):
                assert "default-src 'self'" in response.headers["Content-Security-Policy"]
                assert response.headers["X-Frame-Options"] == "DENY"
                assert response.headers["Referrer-Policy"] == "same-origin"
            assert "Strict-Transport-Security" not in health.headers  # plain http on loopback: no HSTS sent

            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        response = wait_for(f"{base}/health/", process=web, ok=(503,))
        assert response.json()["failed"] == ["worker"]

    lines = [json.loads(line) for line in (tmp_path / "web.log").read_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "improvement.requests"]
    signed_in = [line for line in requests if line["user"] == "casey"]
    # The sign-in POST itself ends signed in; the page after it is the signed-in user's.
    paths = [line["path"] for line in signed_in]
    assert paths[0] == "/accounts/login/" and paths[-1] == "/plans/"
    for line in requests:
        assert len(line["request_id"]) == 32 and line["duration_ms"] >= 0 and line["status"] in (200, 302, 503)
    assert any(line["path"] == "/health/" and line["status"] == 503 for line in requests)


def sign_in(base):
    """Sign in through the real form (CSRF cookie and token) and open a page; the last response."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    data = urllib.parse.urlencode({"username": "casey", "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base}))
    return opener.open(f"{base}/plans/")
