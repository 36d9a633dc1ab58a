"""Checks on what people type, returning messages in plain words keyed by field.

The pages show each message next to its field and keep what was typed. crud still enforces
the rules that need the database (a taken email or handle).
"""

import re
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from fastapi import Path, Request

from webapp.crud.people import BIO_MAX, DISPLAY_NAME_MAX
from webapp.models import TWEET_MAX_CHARS
from webapp.schemas import DB_INT_MAX, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS
from webapp.text import has_visible_text

HANDLE_RE = re.compile(r"^[a-z0-9_]{1,30}$")

# Path parts, checked before the database sees them: a huge id or a NUL byte is a clean 404
# page (see main.validation_error), never a database error.
TweetId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
Handle = Annotated[str, Path(max_length=30, pattern=r"^[A-Za-z0-9_]+$")]
Tag = Annotated[str, Path(max_length=100, pattern=r"^\w+$")]


@dataclass
class Form:
    """What was typed, and what is wrong with it (field name -> message)."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _no_nul(form: Form) -> None:
    # PostgreSQL cannot store NUL; say so instead of failing on insert.
    for name, value in form.values.items():
        if "\x00" in value:
            form.errors.setdefault(name, "That contains a character Chirp can't store.")


def tweet_form(text: str) -> Form:
    form = Form({"text": text})
    if not has_visible_text(text):
        form.errors["text"] = "Write something first: a tweet can't be empty."
    elif len(text) > TWEET_MAX_CHARS:
        form.errors["text"] = (
            f"That's {len(text)} characters; a tweet can have at most {TWEET_MAX_CHARS}."
        )
    _no_nul(form)
    return form


def signup_form(email: str, handle: str, password: str) -> Form:
    form = Form({"email": email.strip(), "handle": handle.strip().lower(), "password": password})
    _check_email(form, "email")
    if not HANDLE_RE.match(form.values["handle"]):
        form.errors["handle"] = "Use 1 to 30 lowercase letters, digits or underscores."
    if len(password) < PASSWORD_MIN_CHARS:
        form.errors["password"] = f"Use at least {PASSWORD_MIN_CHARS} characters."
    elif len(password) > PASSWORD_MAX_CHARS:
        form.errors["password"] = f"Use at most {PASSWORD_MAX_CHARS} characters."
    _no_nul(form)
    return form


def profile_form(display_name: str, bio: str) -> Form:
    form = Form({"display_name": display_name.strip(), "bio": bio.strip()})
    if len(form.values["display_name"]) > DISPLAY_NAME_MAX:
        form.errors["display_name"] = f"Use at most {DISPLAY_NAME_MAX} characters."
    if len(form.values["bio"]) > BIO_MAX:
        form.errors["bio"] = f"Use at most {BIO_MAX} characters."
    _no_nul(form)
    return form


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to: never another site (no open redirect)."""
    if not target or any(ord(char) < 32 for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    if parts.path.startswith("//") or "\\" in target:
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


def back(request: Request, default: str) -> str:
    """Where a plain form post returns to: the page it came from, if it is ours."""
    referer = request.headers.get("referer")
    if referer and urlsplit(referer).netloc == request.headers.get("host"):
        parts = urlsplit(referer)
        return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""), default)
    return default


def new_password_form(name: str, password: str) -> Form:
    """A new password's length (crud refuses the too-common ones)."""
    form = Form({name: ""})  # never echoed back
    if len(password) < PASSWORD_MIN_CHARS:
        form.errors[name] = f"Use at least {PASSWORD_MIN_CHARS} characters."
    elif len(password) > PASSWORD_MAX_CHARS:
        form.errors[name] = f"Use at most {PASSWORD_MAX_CHARS} characters."
    elif "\x00" in password:
        form.errors[name] = "That contains a character Chirp can't store."
    return form


def email_form(name: str, email: str) -> Form:
    """An address, normalised the way sign-up stores it."""
    form = Form({name: email.strip()})
    _check_email(form, name)
    return form


def _check_email(form: Form, name: str) -> None:
    """Keep the normalised address, as the JSON API's EmailStr does."""
    try:
        checked = validate_email(form.values[name], check_deliverability=False)
        form.values[name] = checked.normalized
    except EmailNotValidError:
        form.errors[name] = "That doesn't look like an email address."
