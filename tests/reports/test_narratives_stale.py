# ruff: noqa: F811 - the fixtures imported from the neighbouring module are used by name
"""Two people saving the month's narratives from pages opened at the same time: nothing is lost, nothing is silent.

The probe of issue 21: m1 opens the page, m2 saves section 1, m1 saves section 2; m2's text used to be gone.
"""

import re

import pytest
from django.urls import reverse

from common.stale import CHANGED_SINCE_OPENED
from reports.models import PeriodNarrative
from tests.page_forms import form_data
from tests.reports.test_narratives import MONTH, plan_setup, sponsoring_manager  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _url(plan):
    return f"{reverse('reports:narratives', args=[plan.slug])}?month={MONTH:%Y-%m}"


def _page(client, user, plan):
    client.force_login(user)
    return form_data(client.get(_url(plan)).text)


def _key(subject, field):
    return f"{subject._meta.model_name}-{subject.pk}-{field}"


def test_a_save_from_an_older_page_keeps_what_someone_else_saved_meanwhile(client, plan_setup, admin_user, manager):
    plan, _front, workforce, section = plan_setup
    m1_page = _page(client, admin_user, plan)
    m2_page = _page(client, manager, plan)
    m2_page[_key(workforce, "going_well")] = "Written by m2"
    assert client.post(_url(plan), m2_page).status_code == 302

    client.force_login(admin_user)
    m1_page[_key(section, "going_well")] = "Written by m1"
    response = client.post(_url(plan), m1_page)

    assert response.status_code == 302
    narratives = {n.subject: n.going_well for n in PeriodNarrative.objects.for_month(plan, MONTH)}
    assert narratives == {workforce: "Written by m2", section: "Written by m1"}


def test_two_saves_of_the_same_narrative_answer_409_with_theirs_and_keep_yours(client, plan_setup, admin_user, manager):
    plan, _front, workforce, _section = plan_setup
    manager.first_name, manager.last_name = "Morgan", "Two"
    manager.save()
    m1_page = _page(client, admin_user, plan)
    m2_page = _page(client, manager, plan)
    m2_page[_key(workforce, "going_well")] = "Written by m2"
    client.post(_url(plan), m2_page)

    client.force_login(admin_user)
    m1_page[_key(workforce, "going_well")] = "Written by m1"
    response = client.post(_url(plan), m1_page)

    assert response.status_code == 409
    page = response.text
    assert CHANGED_SINCE_OPENED.format(count=1) in page
    assert re.search(r"Morgan Two\s+saved this at", page) and "Written by m2" in page
    assert ">\nWritten by m1</textarea>" in page  # what m1 typed is kept
    assert PeriodNarrative.objects.get(area=workforce).going_well == "Written by m2"

    # Having seen m2's words, m1 saves again from the page the 409 drew: now m1's words stand.
    again = client.post(_url(plan), form_data(page))
    assert again.status_code == 302
    assert PeriodNarrative.objects.get(area=workforce).going_well == "Written by m1"


def test_a_narrative_removed_meanwhile_is_a_conflict_too(client, plan_setup, admin_user, manager):
    plan, _front, workforce, _section = plan_setup
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=workforce, going_well="Old words")
    m1_page = _page(client, admin_user, plan)
    PeriodNarrative.objects.filter(area=workforce).delete()
    m1_page[_key(workforce, "going_well")] = "New words"
    response = client.post(_url(plan), m1_page)
    assert response.status_code == 409
    assert "Someone removed this narrative after you opened the page." in response.text
    assert not PeriodNarrative.objects.filter(area=workforce).exists()


def test_a_post_never_deletes_a_narrative_it_did_not_show(client, plan_setup, admin_user):
    plan, front, workforce, _section = plan_setup
    PeriodNarrative.objects.create(plan=plan, period=MONTH, area=workforce, going_well="Kept")
    page = _page(client, admin_user, plan)
    posted = {name: value for name, value in page.items() if not name.startswith(f"area-{workforce.pk}-")}
    posted[_key(front, "going_well")] = "Front door words"
    assert client.post(_url(plan), posted).status_code == 302
    assert PeriodNarrative.objects.get(area=workforce).going_well == "Kept"
    assert PeriodNarrative.objects.get(area=front).going_well == "Front door words"
