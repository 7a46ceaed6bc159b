"""Top-level URLs: readable, stable addresses people can bookmark and paste into emails."""

from django.contrib import admin
from django.urls import include, path

from reports import board_views

urlpatterns = [
    path("", board_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("plans/", include("plans.urls")),
    # The board's pages under /plans/ (dashboard, action table) and the packs under /reports/.
    path("", include("reports.urls")),
    path("kpis/", include("kpis.urls")),
]
