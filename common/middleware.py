"""Answers a request whose address holds an unusable date with 400 and the reason, never a 500."""

from django.http import HttpResponseBadRequest

from .dates import BadDateParameter


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
