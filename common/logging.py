"""Log records as one JSON line each, carrying the request id and user of the request they happened in."""

import contextvars
import datetime as dt
import json
import logging

# Set by common.middleware.RequestLogMiddleware for the length of one request; "-" outside requests.
request_id = contextvars.ContextVar("request_id", default="-")
request_user = contextvars.ContextVar("request_user", default="-")

# Attributes every LogRecord has; anything else was passed in `extra=` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id", "user"}


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        if not hasattr(record, "user"):
            record.user = request_user.get()
        return True


class OneLineFormatter(logging.Formatter):
    """JSON per record: a traceback stays inside its event's line, so log collectors never split an event."""

    def format(self, record):
        event = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"),
            "message": record.getMessage(),
        }
        event.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, default=str)
