"""Packs issued again for the same meeting: each later pack moves against the last one issued, and says which.

- A pack is measured against the last pack issued for its position date or an earlier one, an earlier
  version of its own meeting's pack included; an issued pack keeps the one it was measured against.
- The pack (PDF and preview) and its page name that pack; the list marks each meeting's current version
  and the superseded ones in words.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from plans.rag import Status
from plans.services import action_update
from reports.services import board_pack_create, board_pack_issue
from tests.reports.conftest import days, pdf_pages


def _issue(plan, admin_user, *, as_of, meeting):
    return board_pack_issue(pack=board_pack_create(plan=plan, as_of=as_of, meeting_date=meeting), issued_by=admin_user)


def _flat(text):
    return " ".join(text.split())


def _words(response):
    """A page's words, each element apart (a term and its definition do not run together)."""
    return _flat(re.sub(r"<[^>]+>", " ", response.text))


def _named(pack):
    """How a pack names the pack it is measured against."""
    issued = timezone.localtime(pack.issued_at)
    return f"the pack issued {issued:%-d %b %Y} for the meeting of {pack.meeting_date:%-d %b %Y}"


def _listed(html):
    """The list page's rows as (meeting, version, status) in words."""
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1].split("</tbody>")[0], re.S)
    cells = [[_flat(strip_tags(cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]
    return [(meeting, int(version), status) for meeting, _as_of, version, status, _pdf in cells]


@pytest.fixture
def two_versions(small_plan, admin_user):
    """Version 1 for the meeting in a week, then version 2 after action 4 was completed."""
    plan, actions = small_plan
    first = _issue(plan, admin_user, as_of=days(0), meeting=days(7))
    action_update(action=actions["on_track"], author=admin_user, status=Status.COMPLETED, commentary="Launched.")
    second = _issue(plan, admin_user, as_of=days(0), meeting=days(7))
    return plan, first, second


def test_a_second_pack_for_a_meeting_is_measured_against_the_first(two_versions):
    _plan, first, second = two_versions

    text = _flat(" ".join(pdf_pages(second.read_pdf())))

    assert second.measured_against == first
    assert (
        f"Movement is measured against {_named(first)} (version 1, an earlier version of the pack for this meeting"
        in text
    )
    assert "4 Launch the practice academy Green Blue Better" in text
    assert "no earlier pack was issued" not in text


def test_an_issued_pack_keeps_the_pack_it_was_measured_against(two_versions, small_plan, admin_user):
    plan, first, second = two_versions
    earlier_meeting = _issue(plan, admin_user, as_of=days(-30), meeting=days(-25))  # issued after, for an older date

    first.refresh_from_db()
    second.refresh_from_db()

    assert first.measured_against is None
    assert second.measured_against == first
    assert earlier_meeting.measured_against is None  # nothing was issued for its position or before


def test_a_draft_moves_against_the_last_pack_issued_for_its_position_or_before(two_versions, admin_user):
    plan, _first, second = two_versions
    _issue(plan, admin_user, as_of=days(20), meeting=days(27))  # a later position never counts
    draft = board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))

    assert draft.version == 3
    assert draft.pack_measured_against() == second


def test_the_preview_and_the_pack_page_name_the_pack_measured_against(client, admin_user, two_versions):
    plan, first, second = two_versions
    draft = board_pack_create(plan=plan, as_of=days(0), meeting_date=days(7))
    client.force_login(admin_user)

    preview = _words(client.get(reverse("reports:pack_preview", args=[plan.slug, draft.pk])))
    second_page = _words(client.get(second.get_absolute_url()))
    first_page = _words(client.get(first.get_absolute_url()))

    assert f"Movement is measured against {_named(second)} (version 2, an earlier version" in preview
    assert f"Movement measured against {_named(first)} (version 1," in second_page
    assert "Version 2, the current version" in second_page
    assert "Version 1, superseded by version 2" in first_page
    assert "the update history: no earlier pack was issued" in first_page


def test_the_list_marks_each_meetings_current_version_and_the_superseded(client, board_member, admin_user,
                                                                        two_versions):  # fmt: skip
    plan, first, second = two_versions
    older = _issue(plan, admin_user, as_of=days(-30), meeting=days(-25))
    board_pack_create(plan=plan, as_of=days(1), meeting_date=days(7))  # a draft: the issued version stays current
    issued_on = f"issued {timezone.localdate():%-d %b %Y}"

    client.force_login(board_member)
    readers_list = _listed(client.get(reverse("reports:pack_list", args=[plan.slug])).text)
    client.force_login(admin_user)
    admins_list = _listed(client.get(reverse("reports:pack_list", args=[plan.slug])).text)

    meeting, older_meeting = f"{days(7):%-d %B %Y}", f"{days(-25):%-d %B %Y}"
    assert readers_list == [
        (meeting, 2, f"Current version, {issued_on}"),
        (meeting, 1, f"Superseded by version 2, {issued_on}"),
        (older_meeting, 1, f"Current version, {issued_on}"),
    ]
    assert admins_list[0] == (meeting, 3, "Draft")
    assert admins_list[1:] == readers_list
    assert (first.version, second.version, older.version) == (1, 2, 1)
