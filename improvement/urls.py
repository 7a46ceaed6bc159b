"""Top-level URLs: readable, stable addresses people can bookmark and paste into emails."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from common import oidc
from common.health import health
from common.signin import SignInView
from reports import board_views

urlpatterns = [
    path("", board_views.home, name="home"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    # Browsers ask for /favicon.ico whatever the page says (the admin's pages name none): the static SVG answers.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
    path("accounts/", include("django.contrib.auth.urls")),
    # Single sign-on (OpenID Connect); answers 404 until OIDC_RP_CLIENT_ID is set.
    path("oidc/authenticate/", oidc.SignInStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.SignInCallback.as_view(), name="oidc_authentication_callback"),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("plans/", include("plans.urls")),
    # The board's pages under /plans/ (dashboard, action table) and the packs under /reports/.
    path("", include("reports.urls")),
    path("kpis/", include("kpis.urls")),
]
