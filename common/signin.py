"""The sign-in page: a local account's username and password, and single sign-on when it is configured."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.views import LoginView


class SignInView(LoginView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            oidc_enabled=settings.OIDC_ENABLED,
            oidc_provider_name=settings.OIDC_PROVIDER_NAME,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )


class AxesBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request (the sign-in page, the admin's, single sign-on).

    Django's test client `login()` and scripts call authenticate() with no request, so there is no address to
    count against; django-axes would raise there, so this lets the next backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
