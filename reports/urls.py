from django.urls import path

from . import board_views, meeting_views, views

app_name = "reports"
# Mounted at the site's root: the board's pages keep their addresses under /plans/.
urlpatterns = [
    path("for-you/", board_views.for_you, name="for_you"),
    path("plans/<slug:slug>/dashboard/", board_views.dashboard, name="dashboard"),
    path("plans/<slug:slug>/actions/", board_views.ActionTableView.as_view(), name="action_table"),
    path("boards/", meeting_views.board_list, name="board_list"),
    path("boards/<int:pk>/", meeting_views.board_detail, name="board_detail"),
    path("boards/meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("boards/meetings/<int:pk>/decisions/", meeting_views.decision_add, name="decision_add"),
    path("boards/meetings/<int:pk>/actions-arising/", meeting_views.follow_up_add, name="follow_up_add"),
    path("boards/meetings/<int:pk>/sign-off/", meeting_views.meeting_sign_off, name="meeting_sign_off"),
    path("boards/actions-arising/<int:pk>/state/", meeting_views.follow_up_state, name="follow_up_state"),
    path("boards/actions-arising/<int:pk>/to-action/", meeting_views.follow_up_to_action, name="follow_up_to_action"),
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
