"""Request middleware of the tracker's own: the per-request log line, Permissions-Policy, idle sign-out, and
requests refused with a clear answer, never a 500: an unusable date in the address (400), a body too big (413)."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from common import logging as request_logging

from .dates import BadDateParameter

logger = logging.getLogger("improvement.requests")

# A request id from the proxy is kept (so its log and ours join up) only if it is short and plain.
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LAST_SEEN = "_last_seen"
# A session is written at most once a minute to extend it: not one write on every page view.
REFRESH_EVERY_SECONDS = 60


def client_ip(request):
    """The client's address: behind the TLS proxy, the last one the proxy appended (earlier ones are forgeable)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def session_started(sender, request, user, **kwargs):
    """A new session starts its idle clock at sign-in, so the first page after it needs no session write."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(timezone.now().timestamp())


class RequestLogMiddleware:
    """One line per request: method, path, status, duration, request id and user; X-Request-ID on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _GOOD_REQUEST_ID.match(given) else uuid.uuid4().hex
        id_token = request_logging.request_id.set(request.request_id)
        user_token = request_logging.request_user.set("-")
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                request_logging.request_user.set(user.get_username())
            response["X-Request-ID"] = request.request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_logging.request_id.reset(id_token)
            request_logging.request_user.reset(user_token)


class PermissionsPolicyMiddleware:
    """The browser features no page uses are switched off (Django has no setting for this header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class IdleSessionMiddleware:
    """Sign out a session idle for SESSION_IDLE_MINUTES; any request within that time extends it.

    Django's own SESSION_SAVE_EVERY_REQUEST would do it with one database write per page view; this writes the
    session at most once a minute, so a busy page costs no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
            elif last_seen is None or now - last_seen >= REFRESH_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


REQUEST_TOO_LARGE = "The request is {size:.1f} MB; the most the tracker accepts is {limit:.1f} MB."


class BadDateParameterMiddleware:
    """Any view may read `?as_of=`, `?month=` with common.dates.query_date/query_month and let this answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadDateParameter):
            return HttpResponseBadRequest(str(exception), content_type="text/plain; charset=utf-8")
        return None


class RequestTooLargeMiddleware:
    """Refuses a request whose declared body passes settings.REQUEST_MAX_BYTES with 413, before anything reads it.

    Placed first: the CSRF check reads a POST's fields, and Django spools an upload to disk as it parses them,
    which an anonymous 500 MB POST would otherwise fill before the login redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            message = REQUEST_TOO_LARGE.format(size=length / 1024 / 1024, limit=limit / 1024 / 1024)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
