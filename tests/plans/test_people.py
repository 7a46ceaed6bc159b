"""People: leads and sponsors' post holders, linked to accounts and merged on the People pages by admins only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plans.models import Action, Person, Sponsor
from plans.people import ACCOUNT_TAKEN, person_merge, person_update
from tests.factories import ActionFactory, PersonFactory, SponsorFactory, UserFactory, person_of


def test_an_action_may_have_several_leads_and_each_may_update_it(manager, other_manager):
    action = ActionFactory(leads=[manager, other_manager])
    assert action.can_be_updated_by(manager) and action.can_be_updated_by(other_manager)
    assert set(Action.objects.led_or_sponsored_by(other_manager)) == {action}
    assert action.lead_names == ", ".join(p.name for p in action.leads.all())


def test_a_lead_without_an_account_makes_no_one_able_to_update(manager):
    action = ActionFactory(leads=[PersonFactory(name="Partner Officer", organisation="Metropolitan Police")])
    assert not action.can_be_updated_by(manager)
    assert not Action.objects.led_or_sponsored_by(manager).exists()


def test_linking_an_account_makes_the_actions_theirs(admin_user, manager):
    lead = PersonFactory(name="Jo Bloggs")
    action = ActionFactory(leads=[lead])
    person_update(person=lead, changed_by=admin_user, user=manager)
    assert list(Action.objects.led_or_sponsored_by(manager)) == [action]


def test_an_account_is_one_person(admin_user, manager):
    person_of(manager)
    other = PersonFactory()
    with pytest.raises(ValidationError) as error:
        person_update(person=other, changed_by=admin_user, user=manager)
    assert error.value.message_dict["user"] == [ACCOUNT_TAKEN.format(account="manager-user", person=person_of(manager))]


def test_merging_moves_actions_posts_and_account_and_keeps_the_history(admin_user, manager):
    keep = PersonFactory(name="Jo Bloggs", job_title="Head of Service")
    duplicate = PersonFactory(name="Jo Blogs", email="jo@example.org", user=manager)
    led = ActionFactory(leads=[duplicate])
    both = ActionFactory(leads=[keep, duplicate])
    post = SponsorFactory(person=duplicate)

    person_merge(keep=keep, duplicate=duplicate, merged_by=admin_user)

    keep.refresh_from_db()
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert (keep.user, keep.email, keep.job_title) == (manager, "jo@example.org", "Head of Service")
    assert list(led.leads.all()) == [keep] and list(both.leads.all()) == [keep]
    assert Sponsor.objects.get(pk=post.pk).person == keep
    assert list(Action.objects.led_or_sponsored_by(manager).order_by("pk")) == [led, both]
    # The action's own history says who led it before, and who merged them.
    lead_changes = [(entry["by"], change) for entry in led.change_log() for change in entry["changes"]]
    assert lead_changes[:2] == [
        (admin_user, ("leads", "Jo Bloggs, Jo Blogs", "Jo Bloggs")),
        (admin_user, ("leads", "Jo Blogs", "Jo Bloggs, Jo Blogs")),
    ]
    assert Person.history.filter(id=duplicate.pk, history_type="-").exists()


def test_two_people_with_accounts_are_never_merged(admin_user, manager, other_manager):
    keep, duplicate = person_of(manager), person_of(other_manager)
    with pytest.raises(ValidationError) as error:
        person_merge(keep=keep, duplicate=duplicate, merged_by=admin_user)
    assert "they are two people" in error.value.messages[0]
    assert Person.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize("role_user", ["manager", "board_member", "viewer"])
def test_only_an_admin_changes_or_merges_people(client, role_user, request):
    user = request.getfixturevalue(role_user)
    keep, duplicate = PersonFactory(), PersonFactory()
    with pytest.raises(PermissionDenied):
        person_merge(keep=keep, duplicate=duplicate, merged_by=user)
    client.force_login(user)
    for url in (
        reverse("plans:people"),
        reverse("plans:person_edit", args=[keep.pk]),
        reverse("plans:person_merge", args=[keep.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("plans:person_merge", args=[keep.pk]), {"duplicate": duplicate.pk}).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_the_people_page_flags_look_alikes_and_escapes_names(client, admin_user, django_assert_max_num_queries):
    PersonFactory(name="Jo Bloggs")
    PersonFactory(name="Jo Blogs")
    PersonFactory(name="<script>alert(1)</script>")
    for n in range(20):
        ActionFactory(leads=[PersonFactory(name=f"Lead number {n:02d}", organisation="Health")])
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("plans:people"))
    html = response.content.decode()
    assert "Looks like" in html and "merge if they are one person" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_an_admin_merges_on_the_page_and_links_an_account(client, admin_user, manager):
    keep, duplicate = PersonFactory(name="Jo Bloggs"), PersonFactory(name="Jo Blogs")
    action = ActionFactory(leads=[duplicate])
    client.force_login(admin_user)
    response = client.post(reverse("plans:person_merge", args=[keep.pk]), {"duplicate": duplicate.pk})
    assert response.status_code == 302
    assert list(action.leads.all()) == [keep]
    response = client.post(
        reverse("plans:person_edit", args=[keep.pk]),
        {"name": "Jo Bloggs", "job_title": "Head of Service", "organisation": "Council", "email": "",
         "user": manager.pk, "email_requests": "on", "email_packs": "on", "email_digest": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(Action.objects.led_or_sponsored_by(manager)) == [action]


def test_a_merge_with_a_bad_choice_says_so_without_an_error_page(client, admin_user):
    keep = PersonFactory()
    client.force_login(admin_user)
    response = client.post(reverse("plans:person_merge", args=[keep.pk]), {"duplicate": keep.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(reverse("plans:person_merge", args=[keep.pk]), {"duplicate": "nonsense"})
    assert response.status_code == 200


def test_everyone_chooses_their_own_emails(client, board_member):
    client.force_login(board_member)
    response = client.get(reverse("plans:preferences"))
    assert response.status_code == 200
    client.post(reverse("plans:preferences"), {"email_requests": "on", "email_digest": "on"})
    person = Person.objects.get(user=board_member)
    assert (person.email_requests, person.email_packs, person.email_digest) == (True, False, True)


def test_the_preferences_page_needs_a_sign_in(client):
    response = client.get(reverse("plans:preferences"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_user_without_a_name_gets_a_person_named_by_username(db):
    user = UserFactory(username="nameless", first_name="", last_name="")
    assert person_of(user).name == "nameless"


@pytest.mark.parametrize(
    ("abbreviation", "role", "name", "described"),
    [
        ("ADCSC", "Assistant Director CSC", "Morgan Manager", "ADCSC – Assistant Director CSC: Morgan Manager"),
        ("ADCSC", "Assistant Director CSC", "", "ADCSC – Assistant Director CSC"),
        ("ADCSC", "", "Morgan Manager", "ADCSC – Morgan Manager"),
        ("", "Assistant Director CSC", "Morgan Manager", "Assistant Director CSC: Morgan Manager"),
        ("ADCSC", "", "", "ADCSC"),
        ("", "", "Morgan Manager", "Morgan Manager"),
    ],
)
def test_a_sponsor_reads_in_full_without_brackets_in_brackets(db, abbreviation, role, name, described):
    person = PersonFactory(name=name) if name else None
    sponsor = SponsorFactory(abbreviation=abbreviation, role=role, person=person)
    assert sponsor.described == described


def test_the_action_page_and_the_plan_page_name_a_sponsor_the_one_way(client, viewer):
    sponsor = SponsorFactory(abbreviation="ADCSC", role="Assistant Director CSC", person=PersonFactory(name="Morgan"))
    action = ActionFactory(sponsors=[sponsor])
    client.force_login(viewer)
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert "ADCSC – Assistant Director CSC: Morgan" in action_page and "CSC (Morgan" not in action_page
    plan_page = client.get(action.plan.get_absolute_url()).content.decode()
    assert '<abbr title="ADCSC – Assistant Director CSC: Morgan">ADCSC</abbr>' in plan_page
