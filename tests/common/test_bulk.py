"""common.bulk writes the rows Django's bulk_create and simple-history's bulk_history_create write, column by
column as the database stores them (dates, times, JSON, booleans, NULLs), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from common.bulk import creation_history_copied, rows_inserted
from plans.models import Action, ActionUpdate, Milestone
from plans.rag import Cadence, Status
from tests.factories import ActionFactory, AreaFactory, PersonFactory, SponsorFactory, UserFactory

AT = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)


def stored(model, *, leave_out=()):
    """Every row of `model`'s table as the database returns it, without the columns `leave_out`, in a fixed order."""
    quote = connection.ops.quote_name
    columns = [field.column for field in model._meta.concrete_fields if field.column not in leave_out]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} "
            f"ORDER BY {', '.join(map(quote, columns))}"
        )
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# An action whose columns each hold a value: dates, a time, JSON, text with quotes, a placeholder and what COPY
# escapes (a tab, a backslash, \N), a boolean.
EVERY_COLUMN = {
    "title": "Every column — “quoted”, accented é, a ' and a %s",
    "description": "Intro\nover two lines,\ta tab, a \\ backslash and \\N",
    "sub_items": [{"letter": "a", "text": "plan"}, {"letter": "b", "text": "deliver ✓"}],
    "start_date": dt.date(2019, 1, 1),
    "start_text": "Jan 19",
    "target_date": dt.date(2020, 2, 29),
    "target_text": "Feb 2020",
    "cadence": Cadence.MONTHLY,
    "lead": "Jo Bloggs",
    "sponsor_text": "ADCSC & HR",
    "status": Status.COMPLETED,
    "status_text": "Completed",
    "at_risk": True,
    "at_risk_reason": "Staff off",
    "completed_on": dt.date(2020, 3, 1),
    "last_updated_at": AT,
    "version": 3,
}


def varied_actions():
    """Two saved actions: one with the columns an import leaves empty or NULL, one with every column filled."""
    area = AreaFactory()
    return [ActionFactory(area=area, title="Plain", target_date=None), ActionFactory(area=area, **EVERY_COLUMN)]


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["a user", "nobody"])
def test_it_copies_the_creation_rows_bulk_history_create_writes(by):
    user = UserFactory() if by == "a user" else None
    actions = varied_actions()
    history = Action.history.model
    history.objects.all().delete()  # the factories' saves wrote theirs
    Action.history.bulk_history_create(actions, default_user=user, default_date=AT)
    written_by_simple_history = stored(history, leave_out={"history_id"})
    history.objects.all().delete()

    creation_history_copied(Action, [action.pk for action in actions], user_id=user and user.pk, at=AT)

    assert stored(history, leave_out={"history_id"}) == written_by_simple_history
    assert len(written_by_simple_history) == 2


def new_actions(actions):
    area = actions[0].area
    return [
        Action(plan=area.plan, area=area, ref="new 1"),
        Action(plan=area.plan, area=area, ref="new 2", **EVERY_COLUMN),
    ]


def new_updates(actions):
    user = UserFactory()
    return [
        ActionUpdate(action=actions[0], created_at=AT, status=Status.NOT_STARTED, rag="grey"),
        ActionUpdate(
            action=actions[1],
            author=user,
            created_at=AT.replace(microsecond=0) + dt.timedelta(days=400),
            status=Status.COMPLETED,
            at_risk=True,
            at_risk_reason="Staff off",
            rag="amber",
            reported_rag="red",
            source="plan.xlsx, Plan!12 — “Red”",
            commentary="Done",
        ),
    ]


def new_milestones(actions):
    return [
        Milestone(action=actions[0], title="Draft", position=1),
        Milestone(
            action=actions[1],
            title="Sign off ✓",
            position=2,
            target_date=dt.date(2020, 1, 31),
            target_text="Jan 20",
            done_on=dt.date(2020, 1, 15),
        ),
    ]


def new_sponsor_links(actions):
    sponsors = [SponsorFactory(), SponsorFactory()]
    Through = Action.sponsors.through
    return [
        Through(action_id=actions[0].pk, sponsor_id=sponsors[0].pk),
        Through(action_id=actions[0].pk, sponsor_id=sponsors[1].pk),
        Through(action_id=actions[1].pk, sponsor_id=sponsors[1].pk),
        Through(action_id=actions[1].pk, sponsor_id=sponsors[1].pk),  # twice in one cell: linked once
    ]


def new_lead_links(actions):
    person = PersonFactory()
    return [Action.leads.through(action_id=action.pk, person_id=person.pk) for action in actions]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rows",
    [new_actions, new_updates, new_milestones, new_sponsor_links, new_lead_links],
    ids=lambda rows: rows.__name__,
)
def test_it_inserts_the_rows_bulk_create_inserts(rows):
    objs = rows(varied_actions())
    model = type(objs[0])
    # The same rows again, to be written the other way.
    twins = [
        model(**{field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields}) for obj in objs
    ]
    before = {row.pop("id"): row for row in stored(model)}
    ignore_conflicts = model._meta.auto_created is not None  # the link tables, as the import writes them
    model.objects.bulk_create(objs, ignore_conflicts=ignore_conflicts)
    written_by_django = [row for row in stored(model) if row.pop("id") not in before]
    model.objects.exclude(pk__in=before).delete()

    rows_inserted(twins, ignore_conflicts=ignore_conflicts)

    assert [row for row in stored(model) if row.pop("id") not in before] == written_by_django
    assert len(written_by_django) == len(objs) - (rows is new_sponsor_links)


@pytest.mark.django_db
def test_a_row_that_breaks_a_constraint_raises_integrity_error_as_bulk_create_does():
    action = ActionFactory()
    twin = Action(plan=action.plan, area=action.area, ref=action.ref, position=1, title="Same reference")

    with pytest.raises(IntegrityError), transaction.atomic():
        rows_inserted([twin])

    assert list(Action.objects.values_list("pk", flat=True)) == [action.pk]
