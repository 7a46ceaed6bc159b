"""Signals that let apps above common act on events common owns, without common importing them."""

from django.dispatch import Signal

# Sent by `manage.py worker` once, before it takes queued tasks; receivers return lines for the command to print.
worker_started = Signal()
