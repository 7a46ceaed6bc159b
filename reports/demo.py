"""Demo narratives: three of the seed performance report's "what is going well / areas for improvement"."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from plans.demo import load_seed, years_to_make_live
from plans.models import Area

from .models import PeriodNarrative

# (area or KPI section, its name, what is going well, areas for improvement), from seed 002's tables.
DEMO_NARRATIVES = [
    (
        "area",
        "MASH",
        "Children recognised as being at significant risk are identified quickly.\n\n"
        "Social work analysis in MASH is thorough and generally child centred. In the majority of cases the "
        "right threshold decisions are being made.\n\n"
        "Working relationships within the MASH are good.",
        "There are some delays in MASH decision making. The MASH process needs simplification to reduce delay "
        "and more accurately represent the work taking place.\n\n"
        "Consent is not routinely recorded and the current practice is not underpinned by clear enough procedures.\n\n"
        "The quality of referrals to MASH from partners needs improving as they can lack clarity and detail.",
    ),
    (
        "section",
        "Assessments",
        "Assessments are being completed in a timely way; the length of time taken is proportionate.\n\n"
        "There are timely interventions for children most at risk, CP enquiries are managed well. The rate of s47 "
        "enquiries has been falling to become more comparable to statistical neighbours.",
        "Quality and consistency of assessment needs improving, especially in analysis.\n\n"
        "Timeliness of s47 enquiries going to ICPC within 15 days is just below statistical neighbours.",
    ),
    (
        "area",
        "Children in Need & subject to Child Protection Plan",
        "Evidence of good direct work with children on CIN plans.\n\nThere is some effective reviewing of plans.",
        "Plans can be service led rather than needs led and done 'to' families rather than 'with' them.\n\n"
        "CIN plans are not being reviewed and updated frequently enough.",
    ),
]


def demo_month(*, current, today=None):
    """The month the demo plan is live in: this month once moved to today, else this month in the seed's years."""
    today = today or timezone.localdate()
    years = 0 if current else years_to_make_live(load_seed(), today)
    return dt.date(today.year - years, today.month, 1)


@transaction.atomic
def narrative_demo_load(*, plan, month):
    """Add the demo narratives for `month` not there yet (never overwriting what someone wrote); how many were added."""
    writer = get_user_model().objects.filter(username="manager").first()
    added = 0
    for kind, name, going_well, for_improvement in DEMO_NARRATIVES:
        if kind == "area":
            subject = {"area": Area.objects.filter(plan=plan, title=name).first()}
        else:
            subject = {"section": PeriodNarrative.sections_of(plan).filter(name=name).first()}
        if None in subject.values():
            continue
        _narrative, created = PeriodNarrative.objects.get_or_create(
            plan=plan,
            period=month,
            **subject,
            defaults={"going_well": going_well, "for_improvement": for_improvement, "written_by": writer},
        )
        added += created
    return added
