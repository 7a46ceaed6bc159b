"""Two app servers and two workers against one PostgreSQL, under 50 managers saving updates and 20 board members
reading dashboards (loopback only; bounded in time and in requests).

    python bench/multi_machine.py [--seconds 60] [--managers 50] [--board 20]

It makes a fresh database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/improvement_bench,
dropped and made again), loads the demo plan, starts two gunicorns (ports 8120, 8121) and two `manage.py worker`
processes, signs everyone in, then for the given time: each manager saves updates to their own action through
either server, each board member reads the dashboard, and two admins ask both servers at once to issue each of
four board packs. It checks that no acknowledged update is lost, no response was 5xx and no pack was generated
twice, and prints requests per second and p50/p95/p99 latency. It stops every process it started.
"""

import argparse
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
PORTS = (8120, 8121)
MAX_REQUESTS_PER_CLIENT = 5000  # a bound besides time: a runaway loop stops here
PASSWORD = "bench-password-for-loopback-only"
SLUG = "csc-improvement-plan"

SETUP = """
import datetime as dt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.utils import timezone
from plans.models import Action, Plan
from reports import services
managers, board = {managers}, {board}
hashed = make_password("{password}")  # hashed once: 70 users, one PBKDF2 run
actions = list(Action.objects.filter(plan__slug="{slug}").exclude(status="completed").order_by("pk")[:managers])
assert len(actions) == managers, len(actions)
for index, action in enumerate(actions):
    user = User.objects.create(username=f"manager{{index}}", password=hashed)
    user.groups.add(Group.objects.get(name="Manager"))
    Action.objects.filter(pk=action.pk).update(lead_user=user)
for index in range(board):
    User.objects.create(username=f"board{{index}}", password=hashed).groups.add(Group.objects.get(name="Board member"))
for index in range(2):
    admin = User.objects.create(username=f"admin{{index}}", password=hashed, is_staff=True)
    admin.groups.add(Group.objects.get(name="Admin"))
plan = Plan.objects.get(slug="{slug}")
today = timezone.localdate()
for week in range(4):
    services.board_pack_create(plan=plan, as_of=today, meeting_date=today + dt.timedelta(days=7 * (week + 1)))
for index, action in enumerate(actions):
    print(f"manager{{index}} {{action.ref}}")
"""

VERIFY = """
import json
from django_tasks_db.models import DBTaskResult
from plans.models import ActionUpdate
from reports.models import BoardPack
updates = {}
for commentary in ActionUpdate.objects.filter(commentary__startswith="bench ").values_list("commentary", flat=True):
    updates[commentary] = updates.get(commentary, 0) + 1
runs = {}
workers = {}
for result in DBTaskResult.objects.all():
    pack = result.args_kwargs["kwargs"].get("pack_id")
    value = result.return_value or {}
    if result.status == "SUCCESSFUL" and not value.get("skipped"):
        runs[pack] = runs.get(pack, 0) + 1
        worker = result.worker_ids[-1] if result.worker_ids else "?"
        workers[worker] = workers.get(worker, 0) + 1
packs = {pack.pk: (pack.is_issued, pack.is_issued and pack.pdf_is_intact()) for pack in BoardPack.objects.all()}
print(json.dumps({"updates": updates, "runs": runs, "packs": packs, "workers": workers}))
"""


def env_for(database_url, tmp):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "improvement.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-production-key-" + "q8Zr4" * 10,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "media"),  # one shared media folder, as an NFS mount or shared disk would be
        "STATIC_ROOT": str(tmp / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CONN_MAX_AGE": "60",
        "REQUEST_LOG_LEVEL": "WARNING",
        "SIGNIN_FAILURE_LIMIT": "10",
    }


def manage(*args, env):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def fresh_database(url):
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("improvement_bench"):
        raise SystemExit(f"Refusing to drop {name}: the bench only makes databases named improvement_bench*")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(int)
        self.errors = []

    def timed(self, kind, call):
        started = time.perf_counter()
        try:
            response = call()
        except requests.RequestException as error:
            with self.lock:
                self.errors.append(f"{kind}: {error}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(elapsed)
            self.statuses[response.status_code // 100 * 100] += 1
            if response.status_code >= 500:
                self.errors.append(f"{kind}: {response.status_code} {response.url}")
        return response


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def signed_in(base, username):
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=60)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page.text)},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=60,
    )
    if "_auth_user_id" in answer.text or "sessionid" not in session.cookies:
        raise SystemExit(f"{username} could not sign in at {base}: {answer.status_code}")
    return session


def manager_loop(session, base, ref, name, deadline, recorder, acknowledged):
    url = f"{base}/plans/{SLUG}/actions/{ref}/update/"
    for number in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() > deadline:
            return
        form = recorder.timed("manager: open form", lambda: session.get(url, timeout=60))  # noqa: B023 - called now
        if form is None or form.status_code != 200:
            continue
        version = re.search(r'name="version" value="(\d+)"', form.text).group(1)
        status = re.search(r'name="status" value="([^"]+)"[^>]*checked', form.text)
        commentary = f"bench {name} #{number}"
        data = {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "version": version,
            "status": status.group(1) if status else "in_progress",
            "commentary": commentary,
        }
        saved = recorder.timed(
            "manager: save update",
            lambda data=data: session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60),
        )
        if saved is not None and saved.status_code == 302:
            acknowledged[commentary] = acknowledged.get(commentary, 0) + 1


def board_loop(session, base, deadline, recorder):
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() > deadline:
            return
        recorder.timed("board: dashboard", lambda: session.get(f"{base}/plans/{SLUG}/dashboard/", timeout=60))


def admin_issue(session, base, pack_ids, start, recorder):
    start.wait()
    for pack_id in pack_ids:
        url = f"{base}/reports/{SLUG}/{pack_id}/"
        page = session.get(url, timeout=60)
        recorder.timed(
            "admin: issue pack",
            lambda url=url, page=page: session.post(
                f"{url}generate/",
                data={"issue": "yes", "csrfmiddlewaretoken": csrf_token(page.text)},
                headers={"Referer": url},
                allow_redirects=False,
                timeout=60,
            ),
        )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@contextlib.contextmanager
def processes(env, tmp):
    started = []
    try:
        for index, port in enumerate(PORTS):
            log = open(tmp / f"web{index}.log", "w")  # noqa: SIM115 - closed with the process below
            started.append(
                (
                    subprocess.Popen(
                        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--control-socket", str(tmp / f"ctl{index}")],
                        cwd=ROOT,
                        env=env | {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "3"},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    ),
                    log,
                )
            )
        for index in range(2):
            log = open(tmp / f"worker{index}.log", "w")  # noqa: SIM115 - closed with the process below
            started.append(
                (
                    subprocess.Popen(
                        [PYTHON, "manage.py", "worker", "--worker-id", f"bench-worker-{index}"],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    ),
                    log,
                )
            )
        yield
    finally:
        for process, _log in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process, log in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--managers", type=int, default=50)
    parser.add_argument("--board", type=int, default=20)
    options = parser.parse_args()
    if not 1 <= options.seconds <= 600:
        raise SystemExit("--seconds must be between 1 and 600")
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/improvement_bench")
    tmp = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = env_for(url, tmp)
    print(f"Setting up {url} (logs in {tmp}) ...", flush=True)
    fresh_database(url)
    manage("migrate", "--no-input", "-v0", env=env)
    manage("collectstatic", "--no-input", "-v0", env=env)
    manage("load_demo", "--current", env=env)
    owned = dict(
        line.split()
        for line in manage(
            "shell",
            "--no-imports",
            "-c",
            SETUP.format(managers=options.managers, board=options.board, password=PASSWORD, slug=SLUG),
            env=env,
        ).split("\n")
        if line
    )
    bases = [f"http://127.0.0.1:{port}" for port in PORTS]
    recorder = Recorder()
    acknowledged = {}
    with processes(env, tmp):
        for base in bases:
            for _ in range(300):
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"{base}/health/", timeout=5).status_code == 200:
                        break
                time.sleep(0.5)
            else:
                raise SystemExit(f"{base}/health/ never answered 200 (see {tmp})")
        print("Signing in", len(owned) + options.board + 2, "people ...", flush=True)
        sessions = {
            name: signed_in(bases[index % 2], name)
            for index, name in enumerate([*owned, *(f"board{i}" for i in range(options.board)), "admin0", "admin1"])
        }
        deadline = time.monotonic() + options.seconds
        start_issuing = threading.Event()
        threads = [
            threading.Thread(
                target=manager_loop,
                args=(sessions[name], bases[index % 2], ref, name, deadline, recorder, acknowledged),
            )
            for index, (name, ref) in enumerate(owned.items())
        ]
        threads += [
            threading.Thread(target=board_loop, args=(sessions[f"board{i}"], bases[i % 2], deadline, recorder))
            for i in range(options.board)
        ]
        # Both admins ask for the same four packs at the same moment, one through each server.
        threads += [
            threading.Thread(
                target=admin_issue, args=(sessions[f"admin{i}"], bases[i], [1, 2, 3, 4], start_issuing, recorder)
            )
            for i in range(2)
        ]
        print(
            f"Running for {options.seconds} s: {len(owned)} managers, {options.board} board members, 2 admins",
            flush=True,
        )
        began = time.monotonic()
        for thread in threads:
            thread.start()
        start_issuing.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        # Let the workers finish the packs (bounded).
        for _ in range(240):
            if '"packs"' in (state := manage("shell", "--no-imports", "-c", VERIFY, env=env)) and all(
                issued for issued, _ in json.loads(state)["packs"].values()
            ):
                break
            time.sleep(2)
    state = json.loads(manage("shell", "--no-imports", "-c", VERIFY, env=env))
    total = sum(len(values) for values in recorder.latencies.values())
    print(
        f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s; statuses {dict(recorder.statuses)}"
    )
    print(f"{'kind':24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in sorted(recorder.latencies.items()):
        print(
            f"{kind:24} {len(values):7} {statistics.median(values) * 1000:8.0f} "
            f"{percentile(values, 0.95) * 1000:8.0f} {percentile(values, 0.99) * 1000:8.0f}"
        )
    lost = [commentary for commentary in acknowledged if state["updates"].get(commentary, 0) != 1]
    twice = {pack: runs for pack, runs in state["runs"].items() if runs != 1}
    not_issued = [pack for pack, (issued, intact) in state["packs"].items() if not (issued and intact)]
    print(
        f"\nupdates acknowledged {len(acknowledged)}, in the database {sum(state['updates'].values())}, "
        f"lost or doubled {len(lost)}"
    )
    print(
        f"packs issued {len(state['packs']) - len(not_issued)} of {len(state['packs'])}, generations per pack "
        f"{state['runs']}, by worker {state['workers']}"
    )
    print(f"5xx responses {recorder.statuses.get(500, 0)}, client errors {len(recorder.errors)}")
    for error in recorder.errors[:10]:
        print("  ", error)
    ok = not lost and not twice and not not_issued and not recorder.statuses.get(500) and not recorder.errors
    print("\nOK: no lost update, no 5xx, no pack generated twice" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
