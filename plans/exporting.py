"""The whole plan as plain data, for JSON backups and other systems."""

from django.utils import timezone

from .measures import plan_measures
from .models import Action
from .rag import RAG
from .reading import read_action
from .risks.register import risk_register
from .signoff import signed_off_as_dict
from .targets import target_words


def _iso(date):
    return date.isoformat() if date else None


def _rag_words(code):
    """A colour's words ("Red – overdue", plans.rag's) beside its code, for a person reading the file."""
    return RAG(code).words if code else None


def _completed_on(action, known, as_of):
    """When the action was last completed, as known on `as_of`: the first of its latest run of Completed updates."""
    if as_of >= timezone.localdate():
        return action.completed_on
    completed_on = None
    for update in sorted(known, key=lambda update: (update.created_at, update.pk)):
        if update.status != "completed":
            completed_on = None
        elif completed_on is None:
            completed_on = timezone.localdate(update.created_at)
    return completed_on


def plan_as_dict(plan, *, as_of=None):
    """The plan as it stood on `as_of` (today by default): status, target and colour of that date, and the
    updates known by then."""
    as_of = as_of or timezone.localdate()
    actions = Action.objects.filter(plan=plan).with_history().order_by("position", "pk")
    measures = plan_measures(plan)
    areas = {
        area.pk: {
            "title": area.title,
            "theme": area.theme.title if area.theme else None,
            "number": area.number,
            "outcome": area.outcome,
            "objectives": area.objectives,
            "measured_by": area.measured_by,
            "kpis": [measure.name for measure in measures.of_area(area.pk)],
            "actions": [],
        }
        for area in plan.areas.select_related("theme")
    }
    for action in actions:
        reading = read_action(action, as_of)
        slippage, state = reading.slippage, reading.state
        known = [update for update in action.update_list if timezone.localdate(update.created_at) <= as_of]
        areas[action.area_id]["actions"].append(
            {
                "ref": action.ref,
                "title": action.title,
                "description": action.description,
                "sub_items": action.sub_items,
                "lead": action.lead,
                "leads": [
                    {
                        "name": person.name,
                        "job_title": person.job_title,
                        "organisation": person.organisation,
                        "email": person.email,
                    }  # fmt: skip
                    for person in action.lead_list
                ],
                "sponsors": [str(sponsor) for sponsor in action.sponsors.all()],
                "start_date": _iso(action.start_date),
                "start_text": action.start_text,
                "target_date": _iso(state.target_date),
                "target_text": action.target_text,
                "original_target_date": _iso(slippage.original_target_date),
                "times_target_moved": slippage.times_moved,
                "target_words": target_words(action, slippage),
                "cadence": action.cadence or None,
                "status": state.status,
                "status_text": action.status_text,
                "at_risk": state.at_risk,
                "at_risk_reason": state.at_risk_reason,
                "completed_on": _iso(_completed_on(action, known, as_of)) if state.status == "completed" else None,
                "rag": reading.rag.value,
                "rag_words": reading.rag.words,
                "reported_rag": reading.reported_rag.value if reading.reported_rag else None,
                "reported_rag_words": reading.reported_rag.words if reading.reported_rag else None,
                "milestones": [
                    {
                        "title": milestone.title,
                        "target_date": _iso(milestone.target_date),
                        "target_text": milestone.target_text,
                        "done_on": _iso(
                            milestone.done_on if milestone.done_on and milestone.done_on <= as_of else None
                        ),
                    }
                    for milestone in action.milestone_list
                ],
                "updates": [
                    {
                        "at": timezone.localtime(update.created_at).isoformat(),
                        "by": update.author.get_username() if update.author else None,
                        "status": update.status,
                        "rag": update.rag,
                        "rag_words": _rag_words(update.rag),
                        "reported_rag": update.reported_rag or None,
                        "reported_rag_words": _rag_words(update.reported_rag),
                        "source": update.source or None,
                        "commentary": update.commentary,
                        "evidence_url": update.evidence_url,
                    }
                    for update in sorted(known, key=lambda update: update.created_at)
                ],
            }
        )
    themes = [
        {"title": theme.title, "outcome": theme.outcome, "measures_of_success": theme.measures_of_success}
        for theme in plan.themes.all()
    ]
    return {
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "status": plan.status,
            "description": plan.description,
            "themes": themes,
        },
        "as_of": as_of.isoformat(),
        # Also at the top level, beside the areas the themes group.
        "themes": themes,
        "areas": list(areas.values()),
        "risks": _risks(plan, as_of),
        # The version a board signed off last, and what changed since (None when never signed off).
        "signed_off": signed_off_as_dict(plan),
    }


def _risks(plan, as_of):
    """The register as assessed on `as_of`: each risk with the refs of the actions that mitigate it."""
    return [
        {
            "ref": reading.risk.ref,
            "title": reading.risk.title,
            "owner": reading.risk.owner,
            "likelihood": reading.likelihood,
            "impact": reading.impact,
            "score": reading.score,
            "target_score": reading.risk.target_score,
            "status": reading.status,
            "review_date": _iso(reading.risk.review_date),
            "actions": [mitigation.action.ref for mitigation in reading.mitigations],
        }
        for reading in risk_register(plan, as_of=as_of)
    ]
