"""A small plan with a story for the board pack tests, and a media folder of each test's own."""

import base64
import contextlib
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from plans.models import ActionUpdate
from plans.rag import Status
from tests.factories import ActionFactory, AreaFactory, MilestoneFactory, PlanFactory, SponsorFactory

TODAY = timezone.localdate()


def days(n):
    return TODAY + dt.timedelta(days=n)


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def pdf_pages(content):
    """The text of each page of a PDF, as pypdf reads it back."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def charts_in(html):
    """The SVG of every chart a pack's HTML for the PDF embeds as an image (reports.rendering.SVG_IMAGE), joined."""
    from reports.rendering import SVG_IMAGE

    encoded = re.findall(re.escape(SVG_IMAGE) + r"([A-Za-z0-9+/=]+)", html)
    return "".join(base64.b64decode(data).decode() for data in encoded)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_plan(db, admin_user):
    """Two areas, five actions: one overdue, one at risk, one done, one on track, one with no target."""
    return make_small_plan(admin_user)


@pytest.fixture(scope="module")
def read_only(django_db_setup, django_db_blocker):
    """Work a module's tests would each repeat on the same data (a PDF laid out from the small plan, say) done once:
    `with read_only(): ...` makes the rows, the caller keeps what it read, and the rows are rolled back, so no
    test ever sees them. Passwords are hashed as `fast_password_hashing` would (it is set per test). A test that
    reads only such work is marked django_db, so that a run of it alone still makes the test database."""
    from django.db import transaction
    from django.test import override_settings

    from tests.conftest import FAST_HASHER

    @contextlib.contextmanager
    def rolled_back():
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]), transaction.atomic():
            yield
            transaction.set_rollback(True)

    return rolled_back


def make_small_plan(admin_user):
    plan = PlanFactory(slug="small-plan", title="Children's Services Improvement Plan")
    front = AreaFactory(plan=plan, title="Front door", outcome="Children get the right help first time.")
    workforce = AreaFactory(plan=plan, title="Workforce")
    adcsc = SponsorFactory(abbreviation="ADCSC", role="Assistant Director Children's Social Care")
    hfs = SponsorFactory(abbreviation="HFS", role="Head of Financial Services")
    actions = {
        "overdue": ActionFactory(plan=plan, area=front, ref="1", title="Review the MASH threshold document",
                                 target_date=days(-20), status=Status.IN_PROGRESS, sponsors=[adcsc]),
        "at_risk": ActionFactory(plan=plan, area=front, ref="2", title="Recruit two permanent team managers",
                                 target_date=days(90), status=Status.IN_PROGRESS, at_risk=True,
                                 at_risk_reason="No applicants in the first round", lead="Jo Lead",
                                 sponsors=[adcsc, hfs]),
        "done": ActionFactory(plan=plan, area=workforce, ref="3", title="Agree the caseload policy",
                              target_date=days(30), status=Status.COMPLETED, completed_on=days(-2)),
        "on_track": ActionFactory(plan=plan, area=workforce, ref="4", title="Launch the practice academy",
                                  target_date=days(120), status=Status.IN_PROGRESS, sponsors=[hfs]),
        "no_target": ActionFactory(plan=plan, area=workforce, ref="5", title="Refresh the supervision audit",
                                   target_date=None, target_text="TBC"),
    }  # fmt: skip
    for action in actions.values():
        ActionUpdate.objects.create(
            action=action, author=admin_user, created_at=at(days(-3)), status=action.status,
            at_risk=action.at_risk, at_risk_reason=action.at_risk_reason, rag="green",
            commentary=f"Commentary for action {action.ref}.",
        )  # fmt: skip
    MilestoneFactory(action=actions["on_track"], title="Academy prospectus published", target_date=days(10))
    return plan, actions
