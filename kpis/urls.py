from django.urls import path

from . import views

app_name = "kpis"
urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("<slug:code>/", views.indicator_detail, name="indicator_detail"),
]
