from django.urls import path

from . import views

app_name = "kpis"
urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("import/", views.kpis_import_page, name="import"),
    path("enter/<slug:section>/", views.values_entry, name="values_entry"),
    path("<slug:code>/", views.indicator_detail, name="indicator_detail"),
]
