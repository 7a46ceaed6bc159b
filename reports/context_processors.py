"""What every page's navigation needs from the reports app: how many things are asked of the reader."""

from functools import cached_property

from django.utils import timezone

from .for_you import asks_anything_of, count_asked_of


class _AskedLater:
    """The reader's "For you" count, read from the database only if the page shows it, and once."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return count_asked_of(self.user, timezone.localdate())


def for_you(request):
    """`for_you` for those who can be asked for something (managers, admins); nothing for everyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not asks_anything_of(user):
        return {}
    return {"for_you": _AskedLater(user)}
