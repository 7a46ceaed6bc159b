"""The action table: sortable, paginated, exportable."""

import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from .models import Action
from .rag import Status
from .reading import read_action
from .targets import target_words
from .templatetags.targets import target_shown


class ActionTable(tables.Table):
    ref = tables.Column(verbose_name="Ref", order_by=("position",))
    title = tables.Column(verbose_name="Action", linkify=True)
    area = tables.Column(verbose_name="Area", accessor="area__title", order_by=("area__position", "position"))
    sponsors = tables.ManyToManyColumn(verbose_name="Sponsor", orderable=False)
    lead = tables.Column(verbose_name="Lead", accessor="lead_names", order_by=("lead",))
    # Target, colour, status and last update are read as they stood on the table's date (its reading),
    # so a table of a past date does not mix today's status with that date's colour.
    target_date = tables.Column(verbose_name="Target", accessor="pk", order_by=("target_date",))
    target_text = tables.Column(verbose_name="Target as written", visible=False)
    rag = tables.Column(verbose_name="RAG", accessor="pk", orderable=False)
    status = tables.Column(verbose_name="Status", accessor="pk", order_by=("status",))
    last_updated_at = tables.Column(verbose_name="Last update", accessor="pk", order_by=("last_updated_at",))
    # The header is read out (an empty one leaves a screen reader's column unnamed) but not shown.
    update = tables.Column(
        verbose_name=mark_safe('<span class="visually-hidden">Update</span>'),
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
    )

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
        self._readings = {}
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

    # Sorted by the stored field, ties in plan order whichever way (PostgreSQL keeps no order among ties).
    def _order(self, queryset, field, is_descending):
        return queryset.order_by(F(field).desc(nulls_last=True) if is_descending else F(field).asc(), "position"), True

    def order_target_date(self, queryset, is_descending):
        return self._order(queryset, "target_date", is_descending)

    def order_status(self, queryset, is_descending):
        return self._order(queryset, "status", is_descending)

    def order_last_updated_at(self, queryset, is_descending):
        return self._order(queryset, "last_updated_at", is_descending)

    def reading(self, record):
        if record.pk not in self._readings:
            self._readings[record.pk] = read_action(record, self.as_of)
        return self._readings[record.pk]

    def readings(self):
        """This page's rows as the phone cards read them: the rows' own readings, read once."""
        return [self.reading(row.record) for row in self.paginated_rows]

    def updatable(self):
        """The ids of this page's actions the reader may update, in one query (the phone cards' Update)."""
        if self.user is None:
            return set()
        ids = [row.record.pk for row in self.paginated_rows]
        return set(Action.objects.filter(pk__in=ids).updatable_by(self.user).values_list("pk", flat=True))

    def render_rag(self, record):
        return render_to_string("plans/partials/rag.html", {"rag": self.reading(record).rag})

    def value_rag(self, record):
        return self.reading(record).rag.words

    def value_target_date(self, record):
        # The words of the page's cell ("31 Jan 2027, moved from 31 Dec 2026"), not a bare date that hides a move.
        return target_words(record, self.reading(record).slippage)

    def render_target_date(self, record):
        return target_shown(record, self.reading(record).slippage)

    def value_status(self, record):
        return Status(self.reading(record).state.status).label

    def render_status(self, record):
        return self.value_status(record)

    def value_last_updated_at(self, record):
        latest = self.reading(record).latest_update
        return timezone.localdate(latest.created_at) if latest else None

    def render_last_updated_at(self, record):
        day = self.value_last_updated_at(record)
        return date_format(day, "j M Y") if day else "—"
