"""What a board pack says: the plan's position on the pack's date, read from plans.summary, ready for the template."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.safestring import mark_safe

from common.charts import rag_bars
from kpis.charts import sparkline
from kpis.models import Indicator
from kpis.rules import add_months
from kpis.scorecard import KpiSummary, summarise
from plans.rag import RAG_ORDER, RAG_SERIES
from plans.summary import plan_summary

from .pack_annexes import pack_annexes
from .pack_arising import actions_arising
from .pack_scope import NUMBERED_PARTS, PackScope, stored_scope

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kpis.models import Section
    from kpis.scorecard import ScorecardRow
    from plans.models import Action, Plan, Sponsor
    from plans.summary import AreaSummary

    from .models import BoardPack, PackFrontMatter, PeriodNarrative

TOP_EXCEPTIONS = 6
# The months the pack's KPI tables set side by side, as the performance report does (seed 002: five months).
KPI_MONTHS = 5
PACK_FONT = "'Source Sans 3', sans-serif"
# In a stylesheet (pygal's charts) or an attribute (those drawn by hand).
_CHART_FONT = re.compile(r'font-family(?::[^;}"]*|="[^"]*")')
DEFAULT_MILESTONE_DAYS = 31

# Terms the pack itself uses, in the board's words (the colours' meanings come from plans.rag).
PACK_TERMS = [
    ("Overdue", "The target date has passed and the action is not complete."),
    ("At risk", "The action lead has said completion is at risk, or one of its milestones is overdue."),
    ("Original target", "The target date first agreed in the plan."),
    ("Revised target", "The target date in force after changes approved by a sponsor or an admin."),
    ("Movement", "An action whose colour changed since the last issued board pack."),
    ("No recent update", "An open action whose lead has not written an update in the last month."),
]

# Abbreviations of children's services that plans use; only those the pack's text contains are listed.
SERVICE_ABBREVIATIONS = {
    "CSC": "Children's social care",
    "CIN": "Child in need",
    "CP": "Child protection",
    "CPP": "Child protection plan",
    "CLA": "Child looked after",
    "LAC": "Looked after child",
    "CIC": "Child in care",
    "MASH": "Multi-agency safeguarding hub",
    "ICPC": "Initial child protection conference",
    "RCPC": "Review child protection conference",
    "PLO": "Public law outline (court)",
    "SGO": "Special guardianship order",
    "IRO": "Independent reviewing officer",
    "LADO": "Local authority designated officer",
    "EH": "Early help",
    "SN": "Statistical neighbours",
    "DCS": "Director of children's services",
    "SoS": "Signs of Safety (practice model)",
    "EET": "Education, employment or training",
    "LSCB": "Local safeguarding children board",
    "QA": "Quality assurance",
    "SMT": "Senior management team",
    "HR": "Human resources",
    "ICT": "Information and communications technology",
}


@dataclass(frozen=True)
class TargetChange:
    action: Action
    original: dt.date | None
    revised: dt.date | None
    times_moved: int
    reason: str


@dataclass
class KpiScorecard:
    """The indicators that measure the plan, as the pack shows them (kpis.scorecard, read on the pack's date)."""

    month: dt.date
    # Each row also carries `.sparkline`, its chart in the pack's font, and `.month_cells`, [(month, Value or
    # None)] for `month_columns` (both set by kpi_scorecard).
    sections: list[tuple[Section, list[ScorecardRow]]]
    summary: KpiSummary  # of the same rows

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for _section, rows in self.sections for row in rows]

    @property
    def month_columns(self) -> list[dt.date]:
        """The months of the month-by-month tables, oldest first, ending with the report month."""
        return [add_months(self.month, offset) for offset in range(1 - KPI_MONTHS, 1)]

    @property
    def counts(self) -> dict[str, int]:
        """{words: number of indicators} for the executive summary, each colour said by its KPI meaning."""
        counts = {rag.meaning: count for rag, count in self.summary.by_colour}
        return counts | {"without a target to judge by": self.summary.no_target}


def kpi_scorecard(plan: Plan, as_of: dt.date, *, area_ids: Collection[int] | None = None) -> KpiScorecard | None:
    """The KPI scorecard for the plan's indicators on `as_of`, or None when no indicator measures the plan.

    With `area_ids`, only the indicators that measure those areas (or their actions or themes).
    """
    indicators = Indicator.objects.for_plan(plan)
    if area_ids is not None:
        indicators = indicators.for_areas(area_ids)
    card = indicators.scorecard(as_of)
    if not card.rows:
        return None
    months = [add_months(card.month, offset) for offset in range(1 - KPI_MONTHS, 1)]
    for row in card.rows:
        row.sparkline = _chart_in_pack_font(sparkline(row.indicator, row.trend_values))
        # Every month of the period, with None where the indicator has no figure: a gap stays visible as a dash.
        by_month = dict(row.trend_values)
        row.month_cells = [(month, by_month.get(month)) for month in months]
    return KpiScorecard(month=card.month, sections=card.sections, summary=summarise(card))


def pack_context(
    pack: BoardPack,
    *,
    previous_pack: BoardPack | None = None,
    kpis: KpiScorecard | None = None,
    scope: PackScope | None = None,
    preview: bool = False,
) -> dict[str, Any]:
    """Everything the pack template shows for `pack` (saved or not): cover, summary, exceptions, areas, glossary.

    `scope` (reports.pack_scope) keeps only some areas' actions and some parts; None prints the whole plan.
    A `preview` (the page a browser shows) links the timeline's actions to their pages.
    """
    scope = scope or PackScope()
    as_of = pack.as_of
    previous_rags = previous_pack.previous_rags() if previous_pack else None
    summary = plan_summary(
        pack.plan,
        as_of=as_of,
        since=previous_pack.as_of if previous_pack else None,
        previous_rags=previous_rags,
        area_ids=scope.area_ids,
    )
    actions = [reading.action for area in summary.areas for reading in area.readings]
    # Their leads came with the summary (Action.lead_list, read by plans.summary.actions_read_on).
    prefetch_related_objects(actions, "sponsors__person")
    for action in actions:
        action.sponsor_list = list(action.sponsors.all())
        action.owner = _owner(action)
        changes = action.approved_target_changes(as_of)
        action.target_change_reason = changes[-1].reason if changes else ""

    milestones_by = pack.next_meeting_date or as_of + dt.timedelta(days=DEFAULT_MILESTONE_DAYS)
    milestones = [m for m in summary.milestones_due if m.target_date <= milestones_by]
    milestones_by_area = {}
    for milestone in milestones:
        milestones_by_area.setdefault(milestone.action.area_id, []).append(milestone)
    for area in summary.areas:
        area.milestones = milestones_by_area.get(area.area.pk, [])

    narratives = _narratives_for(pack.plan, as_of, summary.areas, kpis.sections if kpis else [])
    _kpis_of_areas(pack.plan, summary.areas, kpis)

    exceptions = summary.overdue + summary.at_risk
    return {
        "pack": pack,
        "plan": pack.plan,
        "summary": summary,
        "as_of": as_of,
        "previous_pack": previous_pack,
        "rag_order": RAG_ORDER,
        "chart": _chart_in_pack_font(
            rag_bars(
                [(str(area.area), area.counts) for area in summary.areas],
                series=RAG_SERIES,
                title=f"RAG status of actions by area on {as_of:%d %B %Y}",
            )
        ),
        "top_exceptions": sorted(exceptions, key=lambda reading: -reading.days_overdue)[:TOP_EXCEPTIONS],
        "target_changes": [
            TargetChange(
                action=reading.action,
                original=reading.slippage.original_target_date,
                revised=reading.slippage.target_date,
                times_moved=reading.slippage.times_moved,
                reason=reading.action.target_change_reason,
            )
            for reading in summary.slipped
        ],
        "milestones": milestones,
        "milestones_by": milestones_by,
        "sponsors": _sponsors_named(actions),
        "terms": PACK_TERMS,
        "abbreviations": _abbreviations_used(actions, narratives),
        "kpis": kpis,
        # The template's include point for the KPI scorecard (templates/reports/pack/_kpis.html).
        "kpi_sections": kpis.sections if kpis else None,
        "rendered_at": timezone.localtime(),
        "annexes": (
            annexes := pack_annexes(
                pack.plan, as_of, summary, in_pack_font=_chart_in_pack_font, scope=scope, link_actions=preview
            )
        ),
        "scope": scope,
        "numbers": _part_numbers(scope, kpis),
        "annex_letters": _annex_letters(annexes),
        "front_matter": _printed_front_matter(pack),
        "arising": actions_arising(pack),
    }


def _part_numbers(scope: PackScope, kpis: KpiScorecard | None) -> dict[str, int]:
    """{part: its number in this pack}: the parts printed, numbered in order (a pack without KPIs has none)."""
    shown = [part for part in NUMBERED_PARTS if scope.shows(part) and (part != "kpis" or kpis)]
    return {part: number for number, part in enumerate(shown, 1)}


def _annex_letters(annexes: dict[str, Any]) -> dict[str, str]:
    shown = [name for name in ("timeline", "risks") if annexes[name]]
    return {name: "ABCDEFGH"[index] for index, name in enumerate(shown)}


def _printed_front_matter(pack: BoardPack) -> PackFrontMatter | None:
    written = front_matter_of(pack)
    return written if written is not None and not written.is_blank else None


def front_matter_of(pack: BoardPack) -> PackFrontMatter | None:
    """The pack's committee-report front matter, or None; no query when the pack was read with select_related."""
    from .models import PackFrontMatter

    if pack.pk is None:
        return None
    try:
        return pack.front_matter
    except PackFrontMatter.DoesNotExist:
        return None


def _chart_in_pack_font(chart_svg: str) -> str:
    # The shared charts ask for the reader's system font; the PDF must use the font it ships, or the
    # chart's labels would change with whatever fonts the server happens to have.
    if not chart_svg:
        return chart_svg

    def in_pack_font(match: re.Match) -> str:
        return f'font-family="{PACK_FONT}"' if match[0].startswith('font-family="') else f"font-family:{PACK_FONT}"

    return mark_safe(_CHART_FONT.sub(in_pack_font, chart_svg))  # noqa: S308 - only the font changes


def _owner(action: Action) -> str:
    return action.lead_names


def _sponsors_named(actions: Iterable[Action]) -> list[Sponsor]:
    """The sponsors the pack names by a short form that needs spelling out ("ADCSC"), not those named in full."""
    named = {sponsor.pk: sponsor for action in actions for sponsor in action.sponsor_list}
    abbreviated = [sponsor for sponsor in named.values() if sponsor.abbreviation or str(sponsor) != sponsor.description]
    return sorted(abbreviated, key=lambda sponsor: str(sponsor).lower())


def _narratives_for(
    plan: Plan,
    as_of: dt.date,
    areas: Iterable[AreaSummary],
    kpi_sections: Iterable[tuple[Section, list[ScorecardRow]]],
) -> list[PeriodNarrative]:
    """Put the month's narratives on the pack's areas and KPI sections (`.narrative`, or None); one query."""
    from .models import PeriodNarrative

    narratives = list(PeriodNarrative.objects.for_month(plan, as_of))
    by_area = {narrative.area_id: narrative for narrative in narratives if narrative.area_id}
    by_section = {narrative.section_id: narrative for narrative in narratives if narrative.section_id}
    for area in areas:
        area.narrative = by_area.get(area.area.pk)
    for section, _rows in kpi_sections:
        section.narrative = by_section.get(section.pk)
    return narratives


def _kpis_of_areas(plan: Plan, areas: Iterable[AreaSummary], kpis: KpiScorecard | None) -> None:
    """Put on each of the pack's areas (`.kpi_rows`) the scorecard rows of the indicators linked to it; one query."""
    rows = {row.indicator.pk: row for row in kpis.rows} if kpis else {}
    linked: dict[int, list[ScorecardRow]] = {}
    if rows:
        links = Indicator.areas.through.objects.filter(area__plan=plan).values_list("area_id", "indicator_id")
        for area_id, indicator_id in links:
            if indicator_id in rows:
                linked.setdefault(area_id, []).append(rows[indicator_id])
    order = {pk: index for index, pk in enumerate(rows)}
    for area in areas:
        area.kpi_rows = sorted(linked.get(area.area.pk, []), key=lambda row: order[row.indicator.pk])


def _abbreviations_used(actions: Iterable[Action], narratives: Iterable[PeriodNarrative] = ()) -> list[tuple[str, str]]:
    text = " ".join(f"{action.title} {action.description}" for action in actions)
    text += " ".join(f" {narrative.going_well} {narrative.for_improvement}" for narrative in narratives)
    words = set(re.findall(r"\b[A-Za-z]{2,5}\b", text))
    return [(abbreviation, meaning) for abbreviation, meaning in SERVICE_ABBREVIATIONS.items() if abbreviation in words]


def pack_html(
    pack: BoardPack, *, preview: bool = False, request: HttpRequest | None = None, scope: PackScope | None = None
) -> str:
    return pack_document(pack, preview=preview, request=request, scope=scope)[0]


def pack_document(
    pack: BoardPack, *, preview: bool = False, request: HttpRequest | None = None, scope: PackScope | None = None
) -> tuple[str, dict[str, Any]]:
    """The pack as one HTML document, moving against the pack it is measured against; and the context it shows.

    The scope is the one kept with the pack unless `scope` is given (the board_pack command's --area).
    """
    from .rendering import render_pack_html

    scope = scope or stored_scope(pack)
    previous_pack = pack.pack_measured_against()
    kpis = kpi_scorecard(pack.plan, pack.as_of, area_ids=scope.area_ids) if scope.shows("kpis") else None
    context = pack_context(pack, previous_pack=previous_pack, kpis=kpis, scope=scope, preview=preview)
    context["preview"] = preview
    return render_pack_html(context, request=request), context
