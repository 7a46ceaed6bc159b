"""Django for the benchmark scripts: a throwaway SQLite database unless DATABASE_URL names another."""

import os
import sys
import tempfile
from pathlib import Path


def django_for_bench():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")
    # Production settings, so that timings do not include DEBUG's query logging.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x7Yq2" * 10)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")  # the test Client's host
    import django

    django.setup()
