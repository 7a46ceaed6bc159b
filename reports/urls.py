from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/", views.pack_list, name="pack_list"),
    path("<slug:slug>/narratives/", views.narratives, name="narratives"),
    path("<slug:slug>/new/", views.pack_create, name="pack_create"),
    path("<slug:slug>/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("<slug:slug>/<int:pk>/preview/", views.pack_preview, name="pack_preview"),
    path("<slug:slug>/<int:pk>/generate/", views.pack_generate, name="pack_generate"),
    path("<slug:slug>/<int:pk>/download/", views.pack_download, name="pack_download"),
]
