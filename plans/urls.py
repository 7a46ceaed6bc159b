from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/actions/<str:ref>/", views.action_detail, name="action_detail"),
]
