"""The spreadsheet toolkit's names load their modules on first use: a process that loads the models (which keep
uploads) but reads no workbook never imports openpyxl."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

from common import spreadsheets

ROOT = Path(__file__).resolve().parents[2]


def test_every_name_is_the_one_its_module_defines():
    for name in spreadsheets.__all__:
        module = importlib.import_module(f"common.spreadsheets.{spreadsheets._MODULE_OF[name]}")
        assert getattr(spreadsheets, name) is getattr(module, name)


def test_loading_the_models_does_not_import_openpyxl():
    check = (
        "import sys, django; django.setup(); from common.spreadsheets import WARNING; print('openpyxl' in sys.modules)"
    )
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
