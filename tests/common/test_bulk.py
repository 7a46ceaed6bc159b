"""common.bulk writes the rows Django's bulk_create and simple-history's bulk_history_create write, column by
column as the database stores them (dates, times, JSON, booleans, NULLs), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from common.bulk import creation_history_copied
from plans.models import Action
from plans.rag import Cadence, Status
from tests.factories import ActionFactory, AreaFactory, UserFactory

AT = timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6, 7, 891011))


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


def varied_actions():
    """Actions whose columns hold each kind of value a plan's import writes: empty and full, NULL and not."""
    area = AreaFactory()
    return [
        ActionFactory(area=area, title="Plain", target_date=None),
        ActionFactory(
            area=area,
            title="Every column — “quoted”, accented é, a ' and a %s",
            description="Intro\nover two lines",
            sub_items=[{"letter": "a", "text": "plan"}, {"letter": "b", "text": "deliver ✓"}],
            start_date=dt.date(2019, 1, 1),
            start_text="Jan 19",
            target_date=dt.date(2020, 2, 29),
            target_text="Feb 2020",
            cadence=Cadence.MONTHLY,
            lead="Jo Bloggs",
            sponsor_text="ADCSC & HR",
            status=Status.COMPLETED,
            status_text="Completed",
            at_risk=True,
            at_risk_reason="Staff off",
            completed_on=dt.date(2020, 3, 1),
            last_updated_at=AT,
            version=3,
        ),
    ]


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
