"""Small factories for boards and their meetings."""

import datetime as dt

import factory
from django.utils import timezone

from boards.models import Board, Meeting


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Improvement Board {n}")
    cadence = Board.Cadence.MONTHLY

    @factory.post_generation
    def plans(board, create, plans, **kwargs):
        if create and plans:
            board.plans.set(plans)

    @factory.post_generation
    def members(board, create, members, **kwargs):
        if create and members:
            board.members.set(members)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = factory.Sequence(lambda n: timezone.localdate() - dt.timedelta(days=7 + n))
    status = Meeting.Status.HELD
