"""Small factories for the plans domain; users are made with a role."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from plans import roles
from plans.models import Action, Area, Milestone, Person, Plan, Sponsor


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("secret-password")

    @factory.post_generation
    def role(user, create, role, **kwargs):
        if create and role:
            user.groups.add(Group.objects.get(name=role))


def person_of(user):
    """The person an account belongs to, made from the account the first time."""
    person, _ = Person.objects.get_or_create(
        user=user, defaults={"name": user.get_full_name() or user.get_username(), "email": user.email}
    )
    return person


def user_with_role(role, **kwargs):
    return UserFactory(role=role, is_staff=role == roles.ADMIN, **kwargs)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    status = Plan.Status.ACTIVE


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(lambda n: n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Lee Lead{n}")


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    abbreviation = factory.Sequence(lambda n: f"SP{n}")
    role = "Assistant Director"

    @classmethod
    def _create(cls, model_class, *args, user=None, **kwargs):
        # A sponsor "with a user" is a post held by that account's person.
        if user is not None:
            kwargs["person"] = person_of(user)
        return super()._create(model_class, *args, **kwargs)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    plan = factory.SelfAttribute("area.plan")
    ref = factory.Sequence(lambda n: str(n + 1))
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Action number {n}")
    target_date = dt.date(2030, 12, 31)

    @factory.post_generation
    def sponsors(action, create, sponsors, **kwargs):
        if create and sponsors:
            action.sponsors.set(sponsors)

    @factory.post_generation
    def leads(action, create, leads, **kwargs):
        """People, or accounts (led by their person)."""
        if create and leads:
            action.leads.set([lead if isinstance(lead, Person) else person_of(lead) for lead in leads])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
