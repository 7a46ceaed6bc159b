"""The people a plan names as leads, found among the tracker's by name; new ones created on import, never merged.

A name is matched only when exactly one person has it (whatever the case and spacing). A name no one has is a
new person, listed in the preview and the result, with the existing people whose names look alike so that an
admin can merge them on the People page if they are one; a name two people share is left unmatched and said.
"""

import difflib
from collections.abc import Iterable

from ..models import Person
from ..models.people import split_leads

__all__ = ["PeopleBook", "split_leads"]

LOOKALIKE_CUTOFF = 0.85


class PeopleBook:
    """People by name (lower case); names not found are remembered to be created."""

    def __init__(self, people: Iterable[Person]):
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            self.by_name.setdefault(person.name.lower(), []).append(person)
        self.new: dict[str, str] = {}  # lower case -> the name as the plan writes it
        self.shared: dict[str, str] = {}  # names two or more people have: not matched

    @classmethod
    def of_tracker(cls) -> "PeopleBook":
        return cls(Person.objects.all())

    def find(self, name: str) -> Person | None:
        """The one person named `name`, or None (a new name is remembered, a shared one reported)."""
        found = self.by_name.get(name.lower(), [])
        if len(found) == 1:
            return found[0]
        if found:
            self.shared.setdefault(name.lower(), name)
        else:
            self.new.setdefault(name.lower(), name)
        return None

    def leads_of(self, text: str) -> list[Person | None]:
        return [self.find(name) for name in split_leads(text)]

    def lookalikes(self, name: str) -> list[str]:
        """Existing people whose names look like `name` ("Jo Blogs" and "Jo Bloggs"): maybe one person."""
        known = [people[0].name for key, people in self.by_name.items() if key not in self.new]
        return difflib.get_close_matches(name, known, n=3, cutoff=LOOKALIKE_CUTOFF)

    def new_described(self) -> list[str]:
        """The new names, each with the existing people it may be: what the preview and the result list."""
        described = []
        for name in self.new.values():
            alike = self.lookalikes(name)
            described.append(f"{name} (like {' or '.join(alike)})" if alike else name)
        return described

    def create_new(self) -> list[Person]:
        created = []
        for name in self.new.values():
            person = Person(name=name)
            person.full_clean()
            person.save()
            self.by_name[name.lower()] = [person]
            created.append(person)
        self.new = {}
        return created
