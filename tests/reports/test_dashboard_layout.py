"""The dashboard's first screen: RAG counts as tiles, the chart by area, the challenge tiles; the detail folds below."""

import re

from django.urls import reverse

from tests.factories import ActionFactory, PlanFactory


def test_the_first_screen_holds_the_counts_the_chart_and_the_challenge_then_a_contents_line(client, board_member):
    plan = PlanFactory(slug="glance")
    ActionFactory(area__plan=plan)
    client.force_login(board_member)
    html = client.get(reverse("reports:dashboard", args=["glance"])).text
    first = html[html.index('<div class="dashboard-first">') : html.index('<nav class="dashboard-contents')]
    assert first.index('class="rag-tiles"') < first.index("<svg") < first.index('class="attention-tiles"')
    assert len(re.findall(r'class="rag-tile rag-tile-(?:red|amber|grey|green|blue)"', first)) == 5
    tiles = re.findall(r'<li><a href="[^"]+" class="tile-[a-z]+">', first)
    assert len(tiles) == 8  # every challenge tile is a link, coloured by what it counts
    contents = re.search(r'<nav class="dashboard-contents.*?</nav>', html, re.S).group()
    for anchor in re.findall(r'href="#([\w-]+)"', contents):
        assert f'id="{anchor}"' in html, anchor
    # The detail sections fold.
    assert html.count('<details class="dashboard-section') >= 5
