"""The action table: sortable, paginated, exportable."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Action


class ActionTable(tables.Table):
    ref = tables.Column(verbose_name="Ref", order_by=("position",))
    title = tables.Column(verbose_name="Action", linkify=True)
    area = tables.Column(verbose_name="Area", accessor="area__title", order_by=("area__position", "position"))
    sponsors = tables.ManyToManyColumn(verbose_name="Sponsor", orderable=False)
    lead = tables.Column(verbose_name="Lead")
    target_date = tables.DateColumn(verbose_name="Target", format="j M Y")
    target_text = tables.Column(verbose_name="Target as written", visible=False)
    rag = tables.Column(verbose_name="RAG", accessor="pk", orderable=False)
    status = tables.Column(verbose_name="Status")
    last_updated_at = tables.DateColumn(verbose_name="Last update", format="j M Y")
    update = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta:
        model = Action
        fields = []
        sequence = ["ref", "title", "area", "sponsors", "lead", "target_date", "target_text", "rag", "status",
                    "last_updated_at", "update"]  # fmt: skip
        order_by = "ref"
        empty_text = "No actions match these filters."
        attrs = {"class": "actions"}
        # Each row has its own template and id, so an inline update can send the row back redrawn.
        template_name = "plans/partials/action_table.html"
        row_attrs = {"id": lambda record: f"action-{record.pk}"}

    def __init__(self, *args, as_of=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of or timezone.localdate()
        self.user = user
        if user is None:
            self.columns.hide("update")

    @classmethod
    def rows_of(cls, actions, *, as_of):
        """The actions with what each row shows on `as_of`: the table page and a redrawn row read the same."""
        return actions.with_history_on(as_of)

    def render_update(self, record):
        if not record.can_be_updated_by(self.user):
            return ""
        return render_to_string("plans/partials/update_link.html", {"action": record})

    def render_rag(self, record):
        return render_to_string("plans/partials/rag.html", {"rag": record.rag(self.as_of)})

    def value_rag(self, record):
        return record.rag(self.as_of).label

    def value_target_date(self, value):
        return value

    def value_last_updated_at(self, value):
        return value.date() if value else None
