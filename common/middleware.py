"""Requests refused with a clear answer, never a 500: an unusable date in the address (400), a body too big (413)."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest

from .dates import BadDateParameter

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
