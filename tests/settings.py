"""The suite's settings: the project's own, with the laptop values a test run needs (DEBUG's defaults).

Tests that need production values start `manage.py` in a subprocess with them (tests/test_settings.py).
"""

import os

# Set before the settings are read, and inherited by the manage.py subprocesses some tests start.
os.environ.setdefault("DEBUG", "1")

from improvement.settings import *  # noqa: E402, F403
