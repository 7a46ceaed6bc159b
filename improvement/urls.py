"""Top-level URLs: readable, stable addresses people can bookmark and paste into emails."""

from django.contrib import admin
from django.urls import include, path

from plans import views as plan_views

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("plans/", include("plans.urls")),
    path("reports/", include("reports.urls")),
    path("kpis/", include("kpis.urls")),
]
