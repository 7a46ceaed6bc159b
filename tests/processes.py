"""Real processes for tests that need them (gunicorn, the worker, an OpenID provider), always stopped after."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(tmp_path, **extra):
    """Production settings (DEBUG unset) on a SQLite file of the test's own, served over plain http on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="improvement.settings",
        SECRET_KEY="test-only-production-key-" + "x7Yq2" * 10,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        # Loopback is plain http: the https-only cookies and redirect would stop a test client signing in.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
    )
    env.update(extra)
    return env


def manage(*args, env, timeout=300):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@contextlib.contextmanager
def running(command, *, env, log_path):
    """Start `command` in its own process group; on exit stop it (TERM, then KILL) and close its log."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def wait_for(url, *, process, timeout=90, ok=(200,)):
    """Poll `url` until it answers one of `ok`; the answer (status, headers, body)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args} exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            last = Answer(error.code, error.headers, error.read())
        except OSError as error:
            last = error
        if isinstance(last, Answer) and last.status in ok:
            return last
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {ok} within {timeout} s: {last}")
