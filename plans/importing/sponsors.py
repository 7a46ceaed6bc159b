"""The sponsors a plan names, found among the tracker's by abbreviation, role or name; new ones created on import."""

import re
from collections.abc import Iterable, Mapping

from ..models import Person, Sponsor

# "DCS (Jane Smith)": plans name the post and, in brackets, who holds it.
_WITH_PERSON = re.compile(r"^(?P<role>[^()]+?)\s*\((?P<person>[^()]+)\)$")
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z]{1,19}")


class SponsorBook:
    """`sponsors` by abbreviation, role and name (any case); names not found are remembered to be created."""

    def __init__(self, sponsors: Iterable[Sponsor]):
        self.by_key: dict[str, Sponsor] = {}
        for sponsor in sponsors:
            self._remember(sponsor)
        self.new: dict[str, str] = {}  # role in lower case -> the name as the plan writes it

    @classmethod
    def of_tracker(cls) -> "SponsorBook":
        return cls(Sponsor.objects.all())

    def _remember(self, sponsor: Sponsor) -> None:
        for key in (sponsor.name, sponsor.role, sponsor.abbreviation):
            if key:
                self.by_key.setdefault(key.lower(), sponsor)

    @property
    def abbreviations(self) -> list[str]:
        return [sponsor.abbreviation for sponsor in self.by_key.values() if sponsor.abbreviation]

    def find(self, name: str) -> Sponsor | None:
        """The sponsor `name` stands for, or None (the name is then recorded as new)."""
        role, person = _role_and_person(name)
        sponsor = self.by_key.get(name.lower()) or self.by_key.get(role.lower())
        if sponsor is None and person:
            sponsor = self.by_key.get(person.lower())
        if sponsor is None:
            self.new.setdefault(role.lower(), name)
        return sponsor

    def create_new(self, *, legend: Mapping[str, str]) -> None:
        """Create the sponsors not found; `legend` spells out abbreviations (abbreviation -> role)."""
        for name in self.new.values():
            role, person = _role_and_person(name)
            is_abbreviation = _ABBREVIATION.fullmatch(role) is not None and role.upper() == role
            sponsor = Sponsor(
                abbreviation=role if is_abbreviation else "",
                role=legend.get(role, "") if is_abbreviation else role[:200],
                person=_holder(person),
            )
            sponsor.full_clean()
            sponsor.save()
            self._remember(sponsor)
        self.new = {}


def _holder(name: str) -> Person | None:
    """The person a plan names as holding a post: the one person of that name, else a new one (never a guess)."""
    if not name:
        return None
    named = list(Person.objects.named(name)[:2])
    return named[0] if len(named) == 1 else Person.objects.create(name=" ".join(name.split())[:200])


def _role_and_person(name: str) -> tuple[str, str]:
    match = _WITH_PERSON.match(name)
    if match is None:
        return name, ""
    return match.group("role"), match.group("person").strip()
