"""The timeline page: areas, bars from start to target with data-ref, moved targets, milestones, dependencies,
filters and paging, permissions, escaping and a flat number of queries."""

import re

import pytest
from django.urls import reverse

from plans import timeline_views
from plans.models import Action, ActionUpdate, TargetDateChange
from plans.rag import Status
from plans.risks.services import action_prerequisite_add
from tests.factories import ActionFactory, AreaFactory, MilestoneFactory, PlanFactory
from tests.plans.conftest import at, days
from tests.plans.test_dashboard import big_plan


def timeline_page(client, plan, **params):
    return client.get(reverse("plans:timeline", args=[plan.slug]), params)


def bars(html):
    return re.findall(r'data-ref="([^"]+)"', html)


def test_it_draws_a_bar_per_action_under_its_area_with_the_rag_word(client, viewer, timeline):
    plan, actions = timeline
    client.force_login(viewer)

    html = timeline_page(client, plan).content.decode()

    assert sorted(bars(html)) == ["A", "B", "C", "D"]
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.index("Front door") < svg.index('data-ref="A"') < svg.index("Workforce") < svg.index('data-ref="D"')
    # Each action is a link whose words say what the marks show: colour and meaning, dates, why.
    assert "Action B: " in svg and "Red, Overdue." in svg
    assert "Amber, At risk." in svg and "Blue, Completed." in svg
    assert 'aria-label="Timeline of' in svg
    assert "<script" not in svg.lower()
    assert "Today, " in svg


def test_it_shows_where_a_target_moved_and_the_milestones(client, viewer, timeline):
    plan, actions = timeline
    client.force_login(viewer)
    html = timeline_page(client, plan).content.decode()

    b = html[html.index('data-ref="B"') : html.index("</a>", html.index('data-ref="B"'))]
    assert b.count("<line") == 2  # the original target's mark and the dotted line to the new one
    a_label = re.search(r'aria-label="(Action A:[^"]*)"', html).group(1)
    assert "Milestone due" in a_label and "Due in three weeks" in a_label
    a = html[html.index('data-ref="A"') : html.index("</a>", html.index('data-ref="A"'))]
    assert a.count('fill="#fff" stroke=') == 3  # three open milestones as hollow diamonds


def test_an_action_waiting_on_a_late_prerequisite_is_linked_and_flagged(client, viewer, timeline):
    plan, actions = timeline
    # A waits for B, which is overdue.
    action_prerequisite_add(action=actions["A"], prerequisite=actions["B"])
    client.force_login(viewer)

    html = timeline_page(client, plan).content.decode()

    assert "A depends on B, which is late" in html
    assert "marker-end" in html
    assert "Waiting on a late prerequisite" in html and "B is overdue by 5 days" in html


def test_it_filters_by_area_and_lead_and_lists_links_it_cannot_draw(client, viewer, timeline):
    plan, actions = timeline
    action_prerequisite_add(action=actions["D"], prerequisite=actions["C"])
    Action.objects.filter(pk=actions["A"].pk).update(lead="Jo Lead")
    client.force_login(viewer)

    workforce = actions["D"].area
    html = timeline_page(client, plan, area=workforce.pk).content.decode()
    assert bars(html) == ["D"]
    assert "D depends on C" in html  # C is not drawn on this page: said in words

    assert bars(timeline_page(client, plan, lead="jo lead").content.decode()) == ["A"]


def test_it_pages_a_long_plan(client, viewer, monkeypatch):
    monkeypatch.setattr(timeline_views, "PER_PAGE", 30)
    plan = big_plan(70, areas=4, updates_per_action=1)
    client.force_login(viewer)

    first = timeline_page(client, plan).content.decode()
    last = timeline_page(client, plan, page=3).content.decode()

    assert len(bars(first)) == 30 and len(bars(last)) == 10
    assert "page 1 of 3" in first
    # Whatever the page, the bars share the plan's one time axis.
    assert re.findall(r">(\w{3} \d\d)</text>", first)[:3] == re.findall(r">(\w{3} \d\d)</text>", last)[:3]


@pytest.mark.parametrize("actions", [10, 300])
def test_it_runs_a_fixed_number_of_queries(client, viewer, django_assert_max_num_queries, actions):
    plan = big_plan(actions, areas=10, updates_per_action=2)
    listed = list(Action.objects.filter(plan=plan).order_by("position"))
    for before, after in zip(listed, listed[1:], strict=False):
        if after.position % 3 == 0:
            action_prerequisite_add(action=after, prerequisite=before)
    client.force_login(viewer)

    # 17 for a page; 5 more when a prerequisite sits on another page and is read for its lateness.
    with django_assert_max_num_queries(22):
        response = timeline_page(client, plan)

    assert response.status_code == 200
    assert len(bars(response.content.decode())) == min(actions, timeline_views.PER_PAGE)


def test_user_text_is_escaped(client, viewer):
    area = AreaFactory(title="<b>Front</b> door")
    ActionFactory(area=area, ref="1", title='<script>alert("x")</script> & more')
    client.force_login(viewer)

    html = timeline_page(client, area.plan).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<b>Front</b>" not in html


def test_it_needs_the_right_to_read_plans(client, timeline, django_user_model):
    plan, _actions = timeline
    response = timeline_page(client, plan)
    assert response.status_code in (302, 403)
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert timeline_page(client, plan).status_code == 403


def test_an_action_without_dates_still_gets_a_bar_that_runs_on(client, viewer):
    plan = PlanFactory()
    ActionFactory(area=AreaFactory(plan=plan), ref="9", target_date=None, start_date=None)
    MilestoneFactory(action=Action.objects.get(ref="9"), title="Done already", target_date=days(-3), done_on=days(-4))
    ActionUpdate.objects.create(action=Action.objects.get(ref="9"), created_at=at(days(-1)), status=Status.IN_PROGRESS,
                                rag="grey")  # fmt: skip
    client.force_login(viewer)

    html = timeline_page(client, plan).content.decode()

    assert bars(html) == ["9"]
    assert 'stroke-dasharray="4,3"' in html  # open-ended
    assert "Milestone done" in html
    assert TargetDateChange.objects.count() == 0


def test_it_filters_by_theme_and_a_bad_filter_is_a_message_not_an_error(client, viewer, timeline):
    from plans.models import Theme

    plan, actions = timeline
    theme = Theme.objects.create(plan=plan, title="Practice")
    actions["A"].area.theme = theme
    actions["A"].area.save()
    client.force_login(viewer)

    assert sorted(bars(timeline_page(client, plan, theme=theme.pk).content.decode())) == ["A", "B", "C"]
    bad = timeline_page(client, plan, area="not-an-area", page="zz")
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
