"""Top-level URLs: readable, stable addresses people can bookmark and paste into emails."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from reports import board_views

urlpatterns = [
    path("", board_views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says (the admin's pages name none): the static SVG answers.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("plans/", include("plans.urls")),
    # The board's pages under /plans/ (dashboard, action table) and the packs under /reports/.
    path("", include("reports.urls")),
    path("kpis/", include("kpis.urls")),
]
