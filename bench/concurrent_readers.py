"""The dashboard under 20 concurrent readers: gunicorn as gunicorn.conf.py configures it, requests/s, p50 and p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_readers .venv/bin/python bench/concurrent_readers.py
    .venv/bin/python bench/concurrent_readers.py --readers 20 --seconds 30 --plan csc-improvement-plan

Loads the demo plan (unless the database has it), starts gunicorn from the project's own gunicorn.conf.py on a
free port (workers and threads from the environment, as in production), signs a board member in, and has each
reader thread ask for the dashboard again as soon as the last answer came. Issue 21 measured 11 requests/s with
p95 2.8 s on this 2-core machine. Prints the figures and one BENCH line (see aims.py).
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from io import StringIO
from pathlib import Path

from aims import report
from benchsetup import django_for_bench

django_for_bench()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def board_session():
    """A signed-in board member's session key, made as the login page would make it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from plans import roles

    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    user.groups.add(Group.objects.get(name=roles.BOARD_MEMBER))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The first backend that can find a user again (axes, first in the list, only guards the login form).
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port):
    env = os.environ | {"BIND": f"127.0.0.1:{port}", "BEHIND_TLS_PROXY": "1", "GUNICORN_LOG_LEVEL": "warning"}
    log = Path(tempfile.gettempdir()) / "bench-gunicorn.log"  # the server's errors, should a request fail
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors,
        )  # fmt: skip
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not start")


def cpu_seconds(root_pid):
    """CPU seconds (user + system) of a process, its live descendants and the children it has reaped, from /proc:
    what the server (gunicorn's master and workers) or the database (postmaster and backends) has spent."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone while we looked
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime: fields 14 to 17 of stat, 11 to 14 after the command's closing bracket.
        total += sum(int(value) for value in fields[11:15])
        todo.extend(children.get(pid, []))
    return total / ticks


def postmaster_pid():
    """The PostgreSQL server's process, when the database is PostgreSQL on this machine; else None."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('data_directory')")
        data_directory = Path(cursor.fetchone()[0])
    try:
        return int((data_directory / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError):
        return None


def reader(port, path, cookie, until, timings, failures):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "X-Forwarded-Proto": "https",
               "Host": "localhost"}  # fmt: skip
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
                continue
        except (OSError, http.client.HTTPException) as error:
            failures.append(type(error).__name__)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        timings.append(time.monotonic() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--plan", default="csc-improvement-plan")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", "--current", stdout=StringIO())
    cookie = board_session()
    path = f"/plans/{options.plan}/dashboard/"
    port = free_port()
    server = start_gunicorn(port)
    try:
        warm = threading.Thread(target=reader, args=(port, path, cookie, time.monotonic() + 3, [], []))
        warm.start()
        warm.join()
        timings, failures, threads = [], [], []
        database = postmaster_pid()
        cpu_before = cpu_seconds(server.pid), cpu_seconds(database) if database else 0.0
        until = time.monotonic() + options.seconds
        started = time.monotonic()
        for _ in range(options.readers):
            thread = threading.Thread(target=reader, args=(port, path, cookie, until, timings, failures))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        cpu_after = cpu_seconds(server.pid), cpu_seconds(database) if database else 0.0
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not timings:
        raise SystemExit(f"no request succeeded: {failures[:5]}")
    ordered = sorted(timings)
    p50, p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]
    rate = len(timings) / elapsed
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; gunicorn workers "
          f"{os.environ.get('WEB_CONCURRENCY', 'as gunicorn.conf.py')} on {os.cpu_count()} cores")  # fmt: skip
    print(f"{path} with {options.readers} readers for {elapsed:.0f} s: {len(timings)} answers, {rate:.1f} requests/s, "
          f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {len(failures)} failures {failures[:5]}")  # fmt: skip
    # CPU per answer does not depend on what else the machine runs, as requests/s and p95 do: 2 cores divided
    # by it is the most this machine could serve.
    web, database = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
    print(f"CPU per answer: {web / len(timings) * 1000:.0f} ms in gunicorn, {database / len(timings) * 1000:.0f} ms "
          f"in the database; {os.cpu_count()} cores could serve at most "
          f"{os.cpu_count() * len(timings) / (web + database):.1f} requests/s")  # fmt: skip
    report(f"dashboard, {options.readers} concurrent readers, requests/s", rate, "/s", "issue 21's measure", 11.0,
           "more than the issue's 11/s", rate > 11.0)  # fmt: skip
    report(f"dashboard, {options.readers} concurrent readers, p95", p95, "s", "issue 21's measure", 2.8,
           "under the issue's 2.8 s", p95 < 2.8)  # fmt: skip


if __name__ == "__main__":
    main()
