"""Keyword filters on the web (issue 17): /settings/filters lists them with a form to make
one; /settings/filters/<id> edits or deletes one. Plain forms answering 303; a refused form
comes back with what was typed and the reason next to its field."""

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from webapp.crud import filters
from webapp.crud.filters import BadFilter, FilterView, KeywordChange
from webapp.deps import SessionDep
from webapp.models import FILTER_CONTEXTS, User, utcnow
from webapp.schemas import DB_INT_MAX
from webapp.web import flash, forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.responses import see_other
from webapp.web.templating import render

router = APIRouter(include_in_schema=False)
FilterId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
Text = Annotated[str, Form()]

CONTEXT_LABELS = {
    "home": "Home timeline and lists",
    "notifications": "Notifications",
    "public": "Everyone and tag pages",
    "thread": "Conversations (a post's page)",
    "account": "Profiles",
}
# The expiry choices, in seconds ("" = never; "keep" = leave an edited filter's as it is).
EXPIRIES = {
    "": "Never",
    "3600": "1 hour",
    "86400": "1 day",
    "604800": "7 days",
    "2592000": "30 days",
}


def _blank() -> forms.Form:
    values = {"title": "", "keywords": "", "whole_word": "on", "filter_action": "warn"}
    return forms.Form(values | {"expires_in": "", "context": " ".join(FILTER_CONTEXTS)})


def _form_of(view: FilterView) -> forms.Form:
    row = view.row
    whole = all(k.whole_word for k in view.keywords)
    values = {
        "title": row.title,
        "keywords": "\n".join(k.keyword for k in view.keywords),
        "whole_word": "on" if whole else "",
        "filter_action": row.filter_action,
        "expires_in": "keep" if row.expires_at else "",
        "context": " ".join(row.context),
    }
    return forms.Form(values)


def _page(
    request: Request, user: User, name: str, context: dict[str, Any], code: int = 200
) -> Response:
    context |= {"labels": CONTEXT_LABELS, "expiries": EXPIRIES, "expires_text": expires_text}
    return render(request, name, context, user=user, status_code=code)


@router.get("/settings/filters")
def index(request: Request, session: SessionDep, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, "/settings/filters")
    mine = filters.my_filters(session, user_id=user.id)
    return _page(request, user, "filters.html", {"filters": mine, "form": _blank()})


def _submitted(
    title: str, keywords: str, whole_word: str, context: list[str], action: str, expires: str
) -> forms.Form:
    values = {
        "title": title,
        "keywords": keywords,
        "whole_word": whole_word,
        "filter_action": action,
        "expires_in": expires,
        "context": " ".join(context),
    }
    return forms.Form(values)


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _seconds(expires: str) -> int | None:
    if expires not in EXPIRIES:
        raise BadFilter("Choose when the filter ends from the list.", "expires_in")
    return int(expires) if expires else None


Contexts = Annotated[list[str], Form()]


@router.post("/settings/filters")
def create(
    request: Request,
    session: SessionDep,
    user: Viewer,
    title: Text = "",
    keywords: Text = "",
    whole_word: Text = "",
    context: Contexts = [],  # noqa: B006 - FastAPI copies it
    filter_action: Text = "warn",
    expires_in: Text = "",
) -> Response:
    if user is None:
        return login_redirect(request, "/settings/filters")
    form = _submitted(title, keywords, whole_word, context, filter_action, expires_in)
    try:
        words = [KeywordChange(w, whole_word == "on") for w in _words(keywords)]
        filters.create_filter(
            session,
            user_id=user.id,
            title=title,
            context=context,
            filter_action=filter_action,
            expires_in=_seconds(expires_in),
            keywords=words,
        )
    except BadFilter as error:
        form.errors[error.field or "title"] = error.message
        mine = filters.my_filters(session, user_id=user.id)
        return _page(request, user, "filters.html", {"filters": mine, "form": form}, FORM_ERROR)
    response = see_other("/settings/filters")
    flash.attach(response, flash.Note(f"Filter “{title.strip()}” saved."))
    return response


@router.get("/settings/filters/{filter_id}")
def edit_page(request: Request, session: SessionDep, user: Viewer, filter_id: FilterId) -> Response:
    if user is None:
        return login_redirect(request, f"/settings/filters/{filter_id}")
    view = filters.view(session, filter_id=filter_id, user_id=user.id)
    return _page(request, user, "filter_edit.html", {"filter": view, "form": _form_of(view)})


@router.post("/settings/filters/{filter_id}")
def update(
    request: Request,
    session: SessionDep,
    user: Viewer,
    filter_id: FilterId,
    title: Text = "",
    keywords: Text = "",
    whole_word: Text = "",
    context: Contexts = [],  # noqa: B006 - FastAPI copies it
    filter_action: Text = "warn",
    expires_in: Text = "keep",
) -> Response:
    if user is None:
        return login_redirect(request, f"/settings/filters/{filter_id}")
    view = filters.view(session, filter_id=filter_id, user_id=user.id)
    form = _submitted(title, keywords, whole_word, context, filter_action, expires_in)
    try:
        changes = _keyword_changes(view, _words(keywords), whole_word == "on")
        keep = expires_in == "keep"
        filters.update_filter(
            session,
            filter_id=filter_id,
            user_id=user.id,
            title=title,
            context=context,
            filter_action=filter_action,
            set_expiry=not keep,
            expires_in=None if keep else _seconds(expires_in),
            keywords=changes,
        )
    except BadFilter as error:
        session.rollback()
        form.errors[error.field or "title"] = error.message
        context_ = {"filter": view, "form": form}
        return _page(request, user, "filter_edit.html", context_, FORM_ERROR)
    response = see_other("/settings/filters")
    flash.attach(response, flash.Note(f"Filter “{title.strip()}” saved."))
    return response


def _keyword_changes(view: FilterView, words: list[str], whole: bool) -> list[KeywordChange]:
    """The typed list as edits: keep (with the new whole-word flag), add, remove."""
    existing = {k.keyword: k for k in view.keywords}
    changes = [
        KeywordChange(k.keyword, whole, k.id, destroy=k.keyword not in words) for k in view.keywords
    ]
    return changes + [KeywordChange(w, whole) for w in words if w not in existing]


@router.post("/settings/filters/{filter_id}/delete")
def delete(request: Request, session: SessionDep, user: Viewer, filter_id: FilterId) -> Response:
    if user is None:
        return login_redirect(request, "/settings/filters")
    filters.delete_filter(session, filter_id=filter_id, user_id=user.id)
    response = see_other("/settings/filters")
    flash.attach(response, flash.Note("Filter deleted."))
    return response


def expires_text(view: FilterView) -> str:
    """'never', 'expired', or the time left in words."""
    when = view.row.expires_at
    if when is None:
        return "never expires"
    left = when.replace(tzinfo=when.tzinfo or utcnow().tzinfo) - utcnow()
    if left <= timedelta(0):
        return "expired"
    if left >= timedelta(days=1):
        return f"expires in {left.days} day{'s' if left.days != 1 else ''}"
    hours = max(1, int(left.total_seconds() // 3600))
    return f"expires in {hours} hour{'s' if hours != 1 else ''}"
