"""plans 0005: lead text, lead accounts and sponsors' names and accounts become people, none merged by guesswork."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0004_risks_and_dependencies")]


@pytest.mark.django_db(transaction=True)
def test_existing_leads_and_sponsors_become_people():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    try:
        User = old.get_model("auth", "User")
        Plan, Area = old.get_model("plans", "Plan"), old.get_model("plans", "Area")
        Action, Sponsor = old.get_model("plans", "Action"), old.get_model("plans", "Sponsor")
        morgan = User.objects.create(username="morgan", first_name="Morgan", last_name="Manager", email="m@example.org")
        plan = Plan.objects.create(title="Plan", slug="plan")
        area = Area.objects.create(plan=plan, title="Area")
        adcsc = Sponsor.objects.create(abbreviation="ADCSC", role="Assistant Director", user=morgan)
        dcs = Sponsor.objects.create(abbreviation="DCS", name="Jane Smith")
        hfs = Sponsor.objects.create(abbreviation="HFS", name="Jane Smith")  # same words, maybe another Jane
        Action.objects.create(plan=plan, area=area, ref="1", title="One", lead="Jo Bloggs / Sam Smith")
        Action.objects.create(plan=plan, area=area, ref="2", title="Two", lead="jo  bloggs")
        Action.objects.create(plan=plan, area=area, ref="3", title="Three", lead="Morgan", lead_user=morgan)
        Action.objects.create(plan=plan, area=area, ref="4", title="Four")

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        new = executor.loader.project_state(latest).apps
        Person, Action = new.get_model("plans", "Person"), new.get_model("plans", "Action")
        Sponsor = new.get_model("plans", "Sponsor")

        def leads(ref):
            return sorted(Action.objects.get(ref=ref).leads.values_list("name", flat=True))

        assert leads("1") == ["Jo Bloggs", "Sam Smith"]
        # The same words on two actions (whatever the case and spacing) are one lead.
        assert Action.objects.get(ref="2").leads.get() == Action.objects.get(ref="1").leads.get(name="Jo Bloggs")
        morgan_person = Person.objects.get(user_id=morgan.pk)
        assert (morgan_person.name, morgan_person.email) == ("Morgan Manager", "m@example.org")
        assert list(Action.objects.get(ref="3").leads.all()) == [morgan_person]
        assert leads("4") == []
        assert Sponsor.objects.get(pk=adcsc.pk).person_id == morgan_person.pk
        # Two sponsors' "Jane Smith" stay two people until an admin merges them.
        janes = {Sponsor.objects.get(pk=dcs.pk).person_id, Sponsor.objects.get(pk=hfs.pk).person_id}
        assert len(janes) == 2 and Person.objects.filter(pk__in=janes, name="Jane Smith").count() == 2
    finally:
        MigrationExecutor(connection).migrate(latest)
