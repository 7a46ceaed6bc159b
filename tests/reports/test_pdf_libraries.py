"""WeasyPrint loaded by reports.pdf_libraries opens the same libraries as its own import, without running a program."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Run in a fresh process (the test process has WeasyPrint loaded already): which programs the import started (Python's
# audit events) and which of WeasyPrint's libraries the process then has mapped.
REPORT = """
import json, sys
programs = []
sys.addaudithook(lambda event, args: programs.append(str(args[0])) if event == "subprocess.Popen" else None)
{load}
import weasyprint
from weasyprint import HTML
assert HTML(string="<p>Board pack</p>").write_pdf().startswith(b"%PDF")
with open("/proc/self/maps") as maps:
    paths = {{line.split()[-1] for line in maps if ".so" in line}}
names = ("gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig")
print(json.dumps({{"programs": programs, "libraries": sorted(p for p in paths if any(n in p for n in names))}}))
"""


def _loaded(load):
    result = subprocess.run(
        [sys.executable, "-c", REPORT.format(load=load)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is skipped on Linux only")
def test_it_opens_weasyprints_libraries_without_running_a_program():
    own = _loaded("pass")
    ours = _loaded("from reports import pdf_libraries; pdf_libraries.load()")

    assert own["programs"]  # ldconfig, gcc, ld: what this module spares
    assert ours["programs"] == []
    assert ours["libraries"] == own["libraries"]
    assert any("libpango-1.0" in path for path in ours["libraries"])
