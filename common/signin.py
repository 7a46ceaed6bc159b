"""The sign-in page: a local account's username and password, and single sign-on when it is configured."""

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
