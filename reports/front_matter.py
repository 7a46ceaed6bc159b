"""A board pack's committee-report front matter: the cover table and numbered headings a council's papers open with.

Seed 002 (a select committee report) is the shape: a table of report title, ward, item number, contributors, class
and date; then purpose, recommendations, background, the implications headings (legal, financial, crime and
disorder, equalities, environmental) and the background documents, originator and contact. The pack prints it
first, before its own cover, so the pack can go to a committee as its papers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import MaxLengthValidator
from django.db import models

# Long enough for a real report's paragraphs, short enough that one heading cannot run to dozens of pages.
SECTION_MAX_LENGTH = 5000
IMPLICATION_MAX_LENGTH = 3000
APPENDICES_MAX_LENGTH = 2000


def _text(label: str, limit: int, help_text: str = "") -> models.TextField:
    return models.TextField(
        label, blank=True, max_length=limit, validators=[MaxLengthValidator(limit)], help_text=help_text
    )


@dataclass(frozen=True)
class NumberedPart:
    """One numbered heading of the report: its words as typed (`text`), or numbered paragraphs (`items`)."""

    number: int
    heading: str
    text: str = ""
    items: tuple[str, ...] = ()


class PackFrontMatter(models.Model):
    """What the author of the paper writes around the tracker's figures; every part may be left blank."""

    pack = models.OneToOneField("reports.BoardPack", on_delete=models.CASCADE, related_name="front_matter")
    committee = models.CharField(
        max_length=200, blank=True, help_text='The body the paper goes to, e.g. "CYP Select Committee".'
    )
    report_title = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Safeguarding Services 6 Monthly Report".'
    )
    item_number = models.CharField(
        "item number", max_length=20, blank=True, help_text='As the agenda numbers it, e.g. "7".'
    )
    ward = models.CharField(max_length=200, blank=True, help_text='e.g. "All".')
    report_class = models.CharField("class", max_length=50, blank=True, help_text='e.g. "Part 1" or "Open".')
    contributors = models.CharField(max_length=500, blank=True, help_text="Who contributed, by role.")
    purpose = _text("purpose and summary", SECTION_MAX_LENGTH)
    recommendations = _text("recommendations", SECTION_MAX_LENGTH, "One per line; the pack numbers them.")
    background = _text("background", SECTION_MAX_LENGTH)
    financial_implications = _text("financial implications", IMPLICATION_MAX_LENGTH)
    legal_implications = _text("legal implications", IMPLICATION_MAX_LENGTH)
    equalities_implications = _text("equalities implications", IMPLICATION_MAX_LENGTH)
    climate_implications = _text("climate and environmental implications", IMPLICATION_MAX_LENGTH)
    crime_and_disorder_implications = _text("crime and disorder implications", IMPLICATION_MAX_LENGTH)
    appendices = _text("appendices", APPENDICES_MAX_LENGTH, "One per line, e.g. “Appendix 1: extract from the plan”.")
    originator = models.CharField(max_length=200, blank=True, help_text="Who wrote the report, and their role.")
    contact = models.CharField(max_length=300, blank=True, help_text="How to reach them: telephone, email.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "committee report front matter"
        verbose_name_plural = "committee report front matter"

    def __str__(self) -> str:
        return f"Front matter of {self.pack}"

    # In the order the form asks for them and the report prints them.
    WRITTEN = (
        "committee",
        "report_title",
        "item_number",
        "ward",
        "report_class",
        "contributors",
        "purpose",
        "recommendations",
        "background",
        "financial_implications",
        "legal_implications",
        "equalities_implications",
        "climate_implications",
        "crime_and_disorder_implications",
        "appendices",
        "originator",
        "contact",
    )
    IMPLICATIONS = (
        "financial_implications",
        "legal_implications",
        "equalities_implications",
        "climate_implications",
        "crime_and_disorder_implications",
    )

    @property
    def implications(self) -> list[tuple[str, str]]:
        """(heading, text) for each implication, in the order council reports print them."""
        return [
            (self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name)) for name in self.IMPLICATIONS
        ]

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    @property
    def appendix_list(self) -> list[str]:
        return [line.strip() for line in self.appendices.splitlines() if line.strip()]

    def numbered_parts(self) -> list[NumberedPart]:
        """The report's headings, numbered as printed: purpose, recommendations and background when written; every
        implications heading, written or not (a council's papers must say each); then appendices and the originator."""
        parts: list[tuple[str, str, tuple[str, ...]]] = []
        if self.purpose:
            parts.append(("Purpose and summary of the report", self.purpose, ()))
        if self.recommendations:
            parts.append(("Recommendations", "", tuple(self.recommendation_list)))
        if self.background:
            parts.append(("Background", self.background, ()))
        parts += [(heading, text, ()) for heading, text in self.implications]
        if self.appendices:
            parts.append(("Appendices", "", tuple(self.appendix_list)))
        if self.originator or self.contact:
            who = ", ".join(part for part in (self.originator, self.contact) if part)
            parts.append(
                (
                    "Background documents and originator",
                    f"If there are any queries on this report, please contact {who}.",
                    (),
                )
            )
        return [NumberedPart(number, heading, text, items) for number, (heading, text, items) in enumerate(parts, 1)]

    @property
    def is_blank(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.WRITTEN)
