"""Outgoing mail: through SMTP when SMTP_HOST is set, else written to the log.

Messages are plain text with one link; they are sent inside the request that asks for them
(a reset or an email change: rare, and the person waits for the answer anyway).
"""

import logging
import smtplib
from email.message import EmailMessage

from webapp.config import settings

log = logging.getLogger("webapp.mail")


def send(*, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not settings.smtp_host:
        log.warning("SMTP_HOST is not set; the mail is logged instead:\n%s", message)
        return
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
    ) as smtp:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls()
            smtp.ehlo()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
