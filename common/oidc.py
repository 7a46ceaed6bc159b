"""Single sign-on with the council's OpenID Connect provider (Entra ID or any standard one), roles from a claim.

mozilla-django-oidc does the protocol (code flow with PKCE, nonce, signature checked against the provider's
keys); this module only decides who the person is here and which of the tracker's roles they hold.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from common.roles import ADMIN, ROLES

logger = logging.getLogger(__name__)

NO_ROLE = "no-role"


def roles_from_claims(claims):
    """The tracker's roles that the provider's claim maps to (OIDC_ROLE_MAP), in the order of ROLES."""
    values = claims.get(settings.OIDC_ROLE_CLAIM) or []
    if isinstance(values, str):
        values = [values]
    mapped = {settings.OIDC_ROLE_MAP.get(str(value)) for value in values}
    return [role for role in ROLES if role in mapped]


class RoleMappingOIDCBackend(OIDCAuthenticationBackend):
    """A person is matched by the provider's username claim, and their roles are set from its group claim.

    Matching is by username, never by e-mail: an e-mail claim is not proof of owning a local account.
    Someone whose claim maps to no role is refused, rather than signed in to see nothing.
    """

    def get_username(self, claims):
        return (claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("sub", "")).strip().lower()[:150]

    def filter_users_by_claims(self, claims):
        username = self.get_username(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username)

    def verify_claims(self, claims):
        if not self.get_username(claims):
            return False
        if not roles_from_claims(claims):
            username = self.get_username(claims)
            logger.warning("Single sign-on refused %s: no tracker role in claim %s", username, settings.OIDC_ROLE_CLAIM)
            self.request.session["oidc_refused"] = NO_ROLE
            return False
        return True

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(self.get_username(claims), email=claims.get("email", ""))
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        roles = roles_from_claims(claims)
        user.first_name = claims.get("given_name", user.first_name)[:150]
        user.last_name = claims.get("family_name", user.last_name)[:150]
        user.email = claims.get("email", user.email)
        user.is_staff = ADMIN in roles
        user.save()
        # The provider is the source of truth for the roles of people who sign in with it.
        others = user.groups.filter(name__in=ROLES).exclude(name__in=roles)
        user.groups.remove(*others)
        user.groups.add(*Group.objects.filter(name__in=roles))
        return user


@method_decorator(login_not_required, name="dispatch")
class SignInStart(OIDCAuthenticationRequestView):
    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class SignInCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return super().get(request)

    @property
    def failure_url(self):
        refused = self.request.session.pop("oidc_refused", "failed")
        return f"{reverse('login')}?sso={refused}"
