"""The action table's filters: every box has a label, the two dates of the due range included."""

import re

import pytest


@pytest.mark.django_db
def test_each_box_of_the_due_range_has_its_own_label_and_keeps_what_was_typed(client, viewer):
    from tests.factories import ActionFactory

    action = ActionFactory()
    client.force_login(viewer)

    html = client.get(f"/plans/{action.plan.slug}/actions/?due_after=2030-01-01").content.decode()

    assert re.search(
        r'<label for="id_due_0">From <input type="date" name="due_after" value="2030-01-01"[^>]*id="id_due_0"', html
    )
    assert re.search(r'<label for="id_due_1">To <input type="date" name="due_before"[^>]*id="id_due_1"', html)


@pytest.mark.django_db
def test_the_pack_filter_is_a_hidden_input_with_no_label(client, viewer):
    from tests.factories import ActionFactory

    action = ActionFactory()
    client.force_login(viewer)

    html = client.get(f"/plans/{action.plan.slug}/actions/").content.decode()

    assert 'type="hidden" name="moved_since_pack"' in html
    assert "Changed colour since board pack" not in html
