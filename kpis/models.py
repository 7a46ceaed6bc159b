"""Monthly indicators, their targets (stepped over time), values, comparator groups and benchmarks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.text import slugify

from common.spreadsheets.uploads import PendingUpload

from .rules import (
    Basis,
    KpiRag,
    Polarity,
    Position,
    Travel,
    Unit,
    add_months,
    is_missing_reason,
    position,
    rag_for_value,
    travel,
    value_problem,
)
from .scorecard import KpiSummary, Scorecard, build_scorecard, kpi_summary

if TYPE_CHECKING:
    from plans.models import Plan

RESERVED_CODES = {"import", "enter"}
# Percentages are held in points (26% is 26.0); four places keep rates such as 476.25 exact.
NUMBER = {"max_digits": 14, "decimal_places": 4}


class Section(models.Model):
    """A service section of the performance report: MASH, Assessments, Child Protection, ..."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = _unique_slug(Section, self.name)
        super().save(*args, **kwargs)


def _unique_slug(model: type[models.Model], text: str, field: str = "slug", max_length: int = 80) -> str:
    base = slugify(text)[: max_length - 6] or "item"
    slug, number = base, 1
    while model.objects.filter(**{field: slug}).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class IndicatorQuerySet(models.QuerySet):
    def with_months(self, first: dt.date, last: dt.date, *, benchmarks: bool = True) -> Self:
        """Indicators with their section, targets, benchmarks and the values from `first` to `last` month."""
        indicators = self.select_related("section").prefetch_related(
            models.Prefetch("values", queryset=Value.objects.filter(period__range=(first, last)).order_by("period")),
            models.Prefetch("targets", queryset=Target.objects.all()),
        )
        if benchmarks:
            indicators = indicators.prefetch_related(
                models.Prefetch("benchmarks", queryset=Benchmark.objects.select_related("group"))
            )
        return indicators

    def with_everything(self) -> Self:
        return self.select_related("section").prefetch_related(
            models.Prefetch("values", queryset=Value.objects.order_by("period")),
            models.Prefetch("targets", queryset=Target.objects.all()),
            models.Prefetch("benchmarks", queryset=Benchmark.objects.select_related("group")),
        )

    def for_plan(self, plan: Plan) -> Self:
        """The indicators that measure this plan's themes, areas or actions."""
        return self._linked(areas={"area__plan": plan}, actions={"action__plan": plan}, themes={"theme__plan": plan})

    def for_areas(self, area_ids: Collection[int]) -> Self:
        """The indicators that measure these areas, an action in them, or a theme they belong to."""
        return self._linked(
            areas={"area__in": area_ids}, actions={"action__area__in": area_ids}, themes={"theme__areas__in": area_ids}
        )

    def _linked(self, **links: dict) -> Self:
        # One id subquery per link table rather than joins to all three and DISTINCT: the joins multiply rows, and
        # PostgreSQL's estimate of them set off its JIT compiler, 35 ms of CPU on every dashboard (issue 21).
        linked = models.Q(pk__in=[])
        for relation, condition in links.items():
            through = Indicator._meta.get_field(relation).remote_field.through
            linked |= models.Q(pk__in=through.objects.filter(**condition).values("indicator_id"))
        return self.filter(linked)

    def report_month(self, as_of: dt.date) -> dt.date | None:
        """The latest month on or before `as_of` for which any of these indicators has a figure."""
        return Value.objects.filter(indicator__in=self, period__lte=as_of).aggregate(latest=Max("period"))["latest"]

    def scorecard(self, as_of: dt.date) -> Scorecard:
        """The scorecard as at a date, grouped by section (see kpis.scorecard)."""
        return build_scorecard(self, as_of)

    def summary(self, as_of: dt.date) -> KpiSummary:
        """On/off target and improving/worsening counts for the dashboard tile and the board pack."""
        return kpi_summary(self, as_of)


@dataclass(frozen=True)
class BenchmarkPosition:
    group: ComparatorGroup
    year: int
    value: Decimal
    display: str
    position: Position | None


class Indicator(models.Model):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=300, unique=True)
    code = models.SlugField(max_length=80, unique=True, help_text="A short stable name, used in addresses.")
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT)
    decimal_places = models.PositiveSmallIntegerField(default=0)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.NEITHER)
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.IN_MONTH)
    source = models.CharField(max_length=200, blank=True)
    owner = models.CharField(max_length=200, blank=True, help_text="Who answers for this indicator.")
    position = models.PositiveIntegerField(default=0)
    areas = models.ManyToManyField(
        "plans.Area", blank=True, related_name="indicators", help_text="Plan areas this indicator measures."
    )
    actions = models.ManyToManyField(
        "plans.Action", blank=True, related_name="indicators", help_text="Actions whose success it measures."
    )
    themes = models.ManyToManyField(
        "plans.Theme", blank=True, related_name="indicators", help_text="Plan themes this indicator measures."
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["section__position", "section__name", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = _unique_slug(Indicator, self.name, field="code")
        if self.code in RESERVED_CODES:  # these name KPI pages, not indicators
            self.code += "-kpi"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("kpis:indicator_detail", args=[self.code])

    # The methods below read prefetched values and targets (IndicatorQuerySet.with_months), so that a
    # page of 300 indicators asks the database nothing more per indicator.

    @cached_property
    def values_by_month(self) -> dict[dt.date, Value]:
        return {value.period: value for value in self.values.all()}

    def value_for(self, month: dt.date) -> Value | None:
        return self.values_by_month.get(month)

    def number_for(self, month: dt.date) -> Decimal | None:
        value = self.value_for(month)
        return value.value if value else None

    def target_for(self, month: dt.date) -> Target | None:
        """The target in force in `month` (Target.in_force) among the indicator's prefetched targets."""
        return Target.in_force(self.targets.all(), month)

    def rag(self, month: dt.date) -> KpiRag | None:
        target = self.target_for(month)
        if target is None:
            return None
        return rag_for_value(
            self.number_for(month), target=target.value, tolerance=target.amber_tolerance, polarity=self.polarity
        )

    def travel_since_previous(self, month: dt.date) -> Travel | None:
        return travel(self.number_for(month), self.number_for(add_months(month, -1)), polarity=self.polarity)

    def travel_since_last_year(self, month: dt.date) -> Travel | None:
        return travel(self.number_for(month), self.number_for(add_months(month, -12)), polarity=self.polarity)

    def latest_benchmarks(self) -> list[Benchmark]:
        """The latest year's benchmark of each comparator group, in the groups' order."""
        latest = {}
        for benchmark in self.benchmarks.all():
            current = latest.get(benchmark.group_id)
            if current is None or benchmark.year > current.year:
                latest[benchmark.group_id] = benchmark
        return sorted(latest.values(), key=lambda b: (b.group.position, b.group.name))

    def benchmark_positions(self, month: dt.date | None = None) -> list[BenchmarkPosition]:
        """Where we stand against each comparator's latest figure.

        Ours is this council's own outturn for the same year when the table gives one (like for like),
        otherwise our latest monthly value.
        """
        own = {(b.year): b.value for b in self.benchmarks.all() if b.group.is_own}
        latest_value = self.number_for(month) if month else None
        positions = []
        for benchmark in self.latest_benchmarks():
            if benchmark.group.is_own:
                positions.append(
                    BenchmarkPosition(benchmark.group, benchmark.year, benchmark.value, benchmark.display, None)
                )
                continue
            ours = own.get(benchmark.year, latest_value)
            positions.append(
                BenchmarkPosition(
                    benchmark.group,
                    benchmark.year,
                    benchmark.value,
                    benchmark.display,
                    position(ours, benchmark.value, polarity=self.polarity),
                )
            )
        return positions

    def format_number(self, number: Decimal | None) -> str:
        """A number as the report writes it: 26%, 476.2, 1,786."""
        if number is None:
            return ""
        text = f"{number:,.{self.decimal_places}f}"
        return f"{text}%" if self.unit == Unit.PERCENT else text


class Target(models.Model):
    """A target for a range of months; several in a row make a trajectory (35% by March, 50% by September)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(null=True, blank=True, help_text="First month; empty means from the start.")
    period_end = models.DateField(null=True, blank=True, help_text="Last month; empty means until further notice.")
    value = models.DecimalField(**NUMBER, null=True, blank=True, help_text="In points for percentages.")
    amber_tolerance = models.DecimalField(
        **NUMBER, default=Decimal(0), help_text="How far short of the target still counts as Amber."
    )
    text = models.CharField(max_length=100, blank=True, help_text='Words instead of a number: "No Target".')

    class Meta:
        # "From the start" (no first month) comes first on every database; PostgreSQL sorts NULL last.
        ordering = ["indicator", models.F("period_start").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(condition=~Q(value=None, text=""), name="target_has_a_number_or_words"),
            models.CheckConstraint(condition=Q(amber_tolerance__gte=0), name="target_tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.display} ({self.period_words})"

    def covers(self, month: dt.date) -> bool:
        return (self.period_start is None or self.period_start <= month) and (
            self.period_end is None or month <= self.period_end
        )

    @staticmethod
    def in_force(targets: Iterable[Target], month: dt.date) -> Target | None:
        """The target in force in `month`: of the targets whose range covers it, the latest-starting step."""
        covering = [target for target in targets if target.covers(month)]
        return max(covering, key=lambda target: target.period_start or dt.date.min, default=None)

    @property
    def display(self) -> str:
        if self.value is None:
            # One spelling on every page: a workbook's "No Target" or "Under Review" reads "No target", "Under review".
            return self.text.capitalize() if self.text.istitle() else self.text
        return self.indicator.format_number(self.value)

    @property
    def period_words(self) -> str:
        start = f"{self.period_start:%b %Y}" if self.period_start else "the start"
        end = f"{self.period_end:%b %Y}" if self.period_end else "further notice"
        return f"from {start} until {end}"

    def clean(self) -> None:
        for field in ("period_start", "period_end"):
            month = getattr(self, field)
            if month and month.day != 1:
                setattr(self, field, month.replace(day=1))
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The last month is before the first."})
        if self.value is None and not self.text:
            raise ValidationError("Give a target number, or words such as \u201cNo Target\u201d.")
        if self.indicator_id and self.value is not None:
            problem = value_problem(self.value, unit=self.indicator.unit)
            if problem:
                raise ValidationError({"value": f"The target {problem}."})
        overlapping = Target.objects.filter(indicator_id=self.indicator_id).exclude(pk=self.pk)
        if self.period_end:
            overlapping = overlapping.filter(Q(period_start=None) | Q(period_start__lte=self.period_end))
        if self.period_start:
            overlapping = overlapping.filter(Q(period_end=None) | Q(period_end__gte=self.period_start))
        if self.indicator_id and overlapping.exists():
            raise ValidationError("Another target of this indicator covers some of the same months.")


class Value(models.Model):
    """One month's figure for an indicator, or the reason there is none."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text="The month, held as its first day.")
    value = models.DecimalField(**NUMBER, null=True, blank=True, help_text="In points for percentages.")
    missing_reason = models.CharField(
        max_length=200, blank=True, help_text='Why there is no number: "Data under development".'
    )
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_value_per_indicator_month"),
            models.CheckConstraint(condition=~Q(value=None, missing_reason=""), name="value_has_a_number_or_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%b %Y}: {self.display}"

    @property
    def display(self) -> str:
        if self.value is None:
            return self.missing_reason
        return self.indicator.format_number(self.value)

    def clean(self) -> None:
        if self.period and self.period.day != 1:
            self.period = self.period.replace(day=1)
        if self.value is None and not self.missing_reason:
            raise ValidationError("Give a number, or the reason there is none.")
        if self.value is None and not is_missing_reason(self.missing_reason):
            raise ValidationError(
                {"missing_reason": 'Say why there is no figure as the report does, e.g. "Data under review".'}
            )
        if self.value is not None and self.indicator_id:
            problem = value_problem(self.value, unit=self.indicator.unit)
            if problem:
                raise ValidationError({"value": f"{self.indicator.format_number(self.value)} {problem}."})


class ComparatorGroup(models.Model):
    """Who we compare with: statistical neighbours, Inner London, England, or our own annual outturn."""

    name = models.CharField(max_length=100, unique=True)
    is_own = models.BooleanField(
        "this council's own outturn", default=False, help_text="Our own published yearly figure, not a comparator."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Benchmark(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    group = models.ForeignKey(ComparatorGroup, on_delete=models.CASCADE, related_name="benchmarks")
    year = models.PositiveSmallIntegerField(help_text="For a financial year such as 2017/18, the year it ends.")
    value = models.DecimalField(**NUMBER)

    class Meta:
        ordering = ["indicator", "group__position", "group__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "group", "year"], name="one_benchmark_per_group_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.group} {self.year}: {self.value}"

    @property
    def display(self) -> str:
        return self.indicator.format_number(self.value)


class KpiImport(PendingUpload):
    """One KPI workbook uploaded or imported: who, when, which file, what it changed and what it skipped.

    While it waits for the admin's "Import now", the file is kept here (see PendingUpload); once applied,
    the record stays as the history of imports.
    """

    created_count = models.PositiveIntegerField("rows created", default=0)
    updated_count = models.PositiveIntegerField("rows updated", default=0)
    unchanged_count = models.PositiveIntegerField("rows unchanged", default=0)
    skipped_count = models.PositiveIntegerField("cells skipped", default=0)
    warnings = models.JSONField(default=list, blank=True, help_text='Each as "Sheet!C4: what is wrong".')

    class Meta(PendingUpload.Meta):
        verbose_name = "KPI import"
