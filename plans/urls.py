from django.urls import path

from . import import_views, timeline_views, views
from .risks import views as risk_views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("my-actions/", views.my_actions, name="my_actions"),
    # Before "<slug:slug>/": "import" must not be read as a plan's slug.
    path("import/", import_views.import_start, name="import_start"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<uuid:token>/", import_views.import_preview, name="import_preview"),
    path("import/<uuid:token>/columns/", import_views.import_columns, name="import_columns"),
    path("import/<uuid:token>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("<slug:slug>/timeline/", timeline_views.timeline, name="timeline"),
    path("<slug:slug>/risks/", risk_views.risk_register_page, name="risk_register"),
    path("<slug:slug>/risks/import/", risk_views.risk_import_page, name="risk_import"),
    path("<slug:slug>/risks/<str:ref>/", risk_views.risk_detail, name="risk_detail"),
    # <slug>/dashboard/ and <slug>/actions/ are the board's pages: reports/urls.py.
    path("<slug:slug>/actions/<str:ref>/", views.action_detail, name="action_detail"),
    path("<slug:slug>/actions/<str:ref>/update/", views.action_update, name="action_update"),
    path("<slug:slug>/actions/<str:ref>/target-date/", views.target_date_change_request, name="target_date_change"),
    path("<slug:slug>/target-changes/<int:pk>/decide/", views.target_date_change_decide, name="target_date_decide"),
]
