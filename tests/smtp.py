"""A real SMTP server for the mail tests: aiosmtpd on a loopback port, its mails kept."""

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from webapp.config import settings


class Inbox:
    """An aiosmtpd handler keeping every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def link(self, index: int = -1) -> str:
        """The path of the link in a mail (the newest by default)."""
        body = self.messages[index].get_payload(decode=True)
        assert isinstance(body, bytes)
        found = re.search(r"https?://[^/\s]+(/\S+)", body.decode())
        assert found, body
        return found.group(1)


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """The app's SMTP_HOST/SMTP_PORT point at a fresh server for this test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    yield handler
    controller.stop()
