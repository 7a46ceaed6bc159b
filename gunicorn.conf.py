"""gunicorn settings for the tracker (`make serve`); each value can be changed from the environment."""

import os

wsgi_app = "improvement.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: pages are short database reads and writes; PDFs are made by the worker process, not here.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Each sync worker keeps its database connection for a minute (unless CONN_MAX_AGE says otherwise): opening one per
# request cost the database 27 ms of CPU per dashboard, 40% of its share (bench/concurrent_readers.py, issue 21).
# The workers are forked after this file runs, so they read it in Django's settings.
os.environ.setdefault("CONN_MAX_AGE", "60")
# Recycle workers now and then so that a slow leak never takes the site down.
max_requests = 2000
max_requests_jitter = 200
# Only the TLS proxy in front may say the request came over https (with BEHIND_TLS_PROXY=1 in Django).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app logs one line per request itself (request id, user, duration): gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "common.logging.OneLineFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
