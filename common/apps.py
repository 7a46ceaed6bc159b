from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Helpers every app may use: the spreadsheet toolkit and safe exports. It imports no app of the tracker."""

    name = "common"
    default_auto_field = "django.db.models.BigAutoField"
