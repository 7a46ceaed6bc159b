"""Once against a real SMTP server (aiosmtpd, started in the test): the same emails through Django's SMTP backend."""

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from plans import roles
from plans.services import target_date_change_request
from tests.factories import ActionFactory, SponsorFactory, user_with_role


class Kept(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = Kept()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://tracker.example.org"
    yield handler
    controller.stop()


def test_a_request_reaches_a_real_smtp_server_in_text_and_html(db, smtp_server, django_capture_on_commit_callbacks):
    lead = user_with_role(roles.MANAGER, username="lead", email="lead@example.org")
    sponsor = user_with_role(roles.MANAGER, username="sponsor", email="sponsor@example.org")
    action = ActionFactory(ref="3", title="Audit casework", leads=[lead], sponsors=[SponsorFactory(user=sponsor)])
    with django_capture_on_commit_callbacks(execute=True):
        target_date_change_request(
            action=action, requested_by=lead, new_target_date=dt.date(2031, 3, 31), reason="Waiting for data"
        )
    assert [message["To"] for message in smtp_server.messages] == ["sponsor@example.org"]
    received = email.message_from_string(smtp_server.messages[0].as_string())
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in received.walk()
             if not part.is_multipart()}  # fmt: skip
    assert set(parts) == {"text/plain", "text/html"}
    assert "https://tracker.example.org/plans/" in parts["text/plain"] and "Waiting for data" in parts["text/html"]
