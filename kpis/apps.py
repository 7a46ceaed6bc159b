from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        # plans may not import kpis: the plan page and export_plan learn which indicators measure an area
        # or theme through the provider registered here.
        from plans.measures import register_measures

        from .measures import indicator_measures

        register_measures(indicator_measures)
