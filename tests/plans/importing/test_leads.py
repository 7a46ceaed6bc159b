"""Lead names in a plan's file become people: matched to the one person of that name, new ones listed, never merged."""

import json

import pytest
from django.core.management import call_command

from plans.importing import plan_import, plan_preview
from plans.importing.layout import plan_workbook
from plans.importing.messages import NEW_PEOPLE, SHARED_NAMES
from plans.importing.people import split_leads
from plans.models import Action, Person
from tests.factories import PersonFactory
from tests.plans.importing.workbooks import xlsx

HEADER = ["Area", "Ref", "Action", "Delivery lead"]


def run_import(rows, slug="csc"):
    preview, changes = plan_preview(xlsx(rows), name="plan.xlsx", slug=slug)
    record = plan_import(preview=preview, slug=slug, title="CSC")
    return preview, changes, record


def leads_of(ref):
    return [person.name for person in Action.objects.get(plan__slug="csc", ref=ref).leads.order_by("name")]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Jo Bloggs", ["Jo Bloggs"]),
        ("Jo Bloggs / Sam Smith", ["Jo Bloggs", "Sam Smith"]),
        ("Jo Bloggs; Sam  Smith & DI Reid", ["Jo Bloggs", "Sam Smith", "DI Reid"]),
        ("Jo Bloggs\nJo Bloggs", ["Jo Bloggs"]),
        ("", []),
    ],
)
def test_a_lead_cell_names_one_or_several_people(cell, names):
    assert split_leads(cell) == names


@pytest.mark.django_db
def test_leads_are_matched_to_people_and_new_ones_are_listed_in_the_preview_and_result():
    known = PersonFactory(name="Jo Bloggs", job_title="Head of Service")
    preview, changes, record = run_import(
        [HEADER, ["Front door", "1", "Audit", "jo bloggs / Sam Smith"], [None, "2", "Train", "Jo Blogs"]]
    )
    assert leads_of("1") == ["Jo Bloggs", "Sam Smith"]
    assert Action.objects.get(ref="1").leads.get(name__iexact="jo bloggs") == known
    # "Jo Blogs" is new: created, listed, with the look-alike the admin may want to merge it into.
    assert leads_of("2") == ["Jo Blogs"]
    assert changes.new_people == ["Sam Smith", "Jo Blogs (like Jo Bloggs)"]
    warning = NEW_PEOPLE.format(names="Sam Smith, Jo Blogs (like Jo Bloggs)")
    assert [(p.cell, p.message) for p in preview.warnings] == [("D", warning)]
    assert record.new_people == ["Sam Smith", "Jo Blogs (like Jo Bloggs)"]
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_a_name_two_people_share_is_not_guessed():
    PersonFactory(name="Sam Smith", organisation="Council")
    PersonFactory(name="Sam Smith", organisation="Metropolitan Police")
    preview, changes, _ = run_import([HEADER, ["Front door", "1", "Audit", "Sam Smith"]])
    assert leads_of("1") == []
    assert changes.shared_names == ["Sam Smith"]
    assert SHARED_NAMES.format(names="Sam Smith") in [p.message for p in preview.warnings]
    assert Person.objects.count() == 2
    # The lead as written is kept for a person to resolve.
    assert Action.objects.get(ref="1").lead == "Sam Smith"


@pytest.mark.django_db
def test_a_reimport_changes_leads_only_when_the_file_does():
    run_import([HEADER, ["Front door", "1", "Audit", "Jo Bloggs"]])
    _, changes, _ = run_import([HEADER, ["Front door", "1", "Audit", "Jo Bloggs"]])
    assert (len(changes.unchanged), changes.new_people) == (1, [])
    _, changes, _ = run_import([HEADER, ["Front door", "1", "Audit", "Jo Bloggs / Sam Smith"]])
    assert changes.updated[0].changed_names == ["delivery lead"]
    assert leads_of("1") == ["Jo Bloggs", "Sam Smith"]
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_an_exported_plan_with_leads_reads_back_unchanged():
    _, _, record = run_import([HEADER, ["Front door", "1", "Audit", "Jo Bloggs / Sam Smith"]])
    preview, changes = plan_preview(plan_workbook(record.plan), name="export.xlsx", slug="csc")
    assert (len(changes.unchanged), len(changes.updated), changes.new_people) == (1, 0, [])
    assert preview.actions[0].lead == "Jo Bloggs / Sam Smith"


@pytest.mark.django_db
def test_export_plan_json_names_each_lead(capsys):
    run_import([HEADER, ["Front door", "1", "Audit", "Jo Bloggs"]])
    Person.objects.filter(name="Jo Bloggs").update(job_title="Head of Service", organisation="Council")
    call_command("export_plan", "csc", "--format", "json")
    [action] = json.loads(capsys.readouterr().out)["areas"][0]["actions"]
    assert action["lead"] == "Jo Bloggs"
    assert action["leads"] == [
        {"name": "Jo Bloggs", "job_title": "Head of Service", "organisation": "Council", "email": ""}
    ]


@pytest.mark.django_db
def test_a_person_or_sponsor_named_twice_in_a_cell_is_linked_once():
    run_import([HEADER + ["Sponsor"], ["Front door", "1", "Audit", "Jo Bloggs / JO BLOGGS", "ADCSC & adcsc / ADCSC"]])

    action = Action.objects.get(plan__slug="csc", ref="1")
    assert leads_of("1") == ["Jo Bloggs"]
    assert [str(sponsor) for sponsor in action.sponsors.all()] == ["ADCSC"]
