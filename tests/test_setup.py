"""Set-up as the README tells it: the port `make run` serves on and the worker command match the Makefile."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("arguments", "address"), [([], "127.0.0.1:8000"), (["PORT=8123"], "127.0.0.1:8123")])
def test_it_serves_make_run_on_the_port_asked_for(arguments, address):
    # -n prints the commands without running them.
    planned = subprocess.run(["make", "-n", "run", *arguments], cwd=ROOT, capture_output=True, text=True, check=True)
    assert f"runserver {address}" in planned.stdout
    assert f"Open http://{address}/" in planned.stdout


def test_it_documents_the_worker_command_the_makefile_runs():
    makefile_worker = re.search(r"manage\.py (worker[^&\n]*?)\s*&", (ROOT / "Makefile").read_text()).group(1)
    readme = (ROOT / "README.md").read_text()
    assert makefile_worker == "worker --no-reload"
    assert re.findall(r"`python manage\.py (worker[^`]*)`", readme) == [makefile_worker]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_worker_runs_the_documented_single_process_worker():
    # --no-print-directory: under `make test` this make is a sub-make, which would add "Leaving directory".
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "worker"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert planned.stdout.rstrip().endswith("manage.py worker --no-reload")
    assert "make worker     # = manage.py worker --no-reload:" in (ROOT / "README.md").read_text()
