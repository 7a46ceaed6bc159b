from django.urls import path

from . import board_views, views

app_name = "reports"
# Mounted at the site's root: the board's pages keep their addresses under /plans/.
urlpatterns = [
    path("for-you/", board_views.for_you, name="for_you"),
    path("plans/<slug:slug>/dashboard/", board_views.dashboard, name="dashboard"),
    path("plans/<slug:slug>/actions/", board_views.ActionTableView.as_view(), name="action_table"),
    path("reports/<slug:slug>/", views.pack_list, name="pack_list"),
    path("reports/<slug:slug>/narratives/", views.narratives, name="narratives"),
    path("reports/<slug:slug>/new/", views.pack_create, name="pack_create"),
    path("reports/<slug:slug>/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("reports/<slug:slug>/<int:pk>/preview/", views.pack_preview, name="pack_preview"),
    path("reports/<slug:slug>/<int:pk>/generate/", views.pack_generate, name="pack_generate"),
    path("reports/<slug:slug>/<int:pk>/download/", views.pack_download, name="pack_download"),
    path("reports/<slug:slug>/<int:pk>/front-matter/", views.pack_front_matter, name="pack_front_matter"),
    path("reports/<slug:slug>/<int:pk>/issue/", views.pack_issue, name="pack_issue"),
]
