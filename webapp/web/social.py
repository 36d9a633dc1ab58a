"""Issue 19 on the web: /follow_requests (approve or reject, plain forms or htmx in place),
/messages (your direct conversations, newest first) and /settings/featured_tags."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.responses import Response

from webapp import crud
from webapp.crud import direct_messages, featured, follow_requests
from webapp.crud.statuses import Window
from webapp.deps import SessionDep
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.web import forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.responses import see_other
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
UserId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
Before = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
PAGE = 40


@router.get("/follow_requests")
def requests_page(
    request: Request, session: SessionDep, user: Viewer, before: Before = None
) -> Response:
    if user is None:
        return login_redirect(request, "/follow_requests")
    window = Window(max_id=before, limit=PAGE)
    rows = follow_requests.pending(session, user_id=user.id, window=window)
    more = f"/follow_requests?before={rows[-1][0]}" if len(rows) == PAGE else None
    context = {"requests": [person for _, person in rows], "more_url": more}
    return render(request, "follow_requests.html", context, user=user)


@router.post("/follow_requests/{requester_id}/{answer}")
def answer_request(
    request: Request,
    session: SessionDep,
    user: Viewer,
    requester_id: UserId,
    answer: Literal["authorize", "reject"],
) -> Response:
    if user is None:
        return login_redirect(request, "/follow_requests")
    person = crud.get_user(session, requester_id)
    decide = follow_requests.authorize if answer == "authorize" else follow_requests.reject
    decide(session, user_id=user.id, requester_id=requester_id)
    if not is_htmx(request):
        return see_other("/follow_requests")
    context = {"person": person, "approved": answer == "authorize"}
    return render(request, "partials/_follow_request_answered.html", context, user=user)


@router.get("/messages")
def messages_page(
    request: Request, session: SessionDep, user: Viewer, before: Before = None
) -> Response:
    if user is None:
        return login_redirect(request, "/messages")
    window = Window(max_id=before, limit=PAGE)
    rows = direct_messages.conversations(session, user_id=user.id, window=window)
    shown = direct_messages.shown(session, user_id=user.id, rows=rows)
    more = f"/messages?before={rows[-1].sort_id}" if len(rows) == PAGE else None
    unread = {row.conversation_id for row in rows if row.unread}
    context = {"conversations": rows, "shown": shown, "unread_conversations": unread}
    context["more_url"] = more
    page = render(request, "messages.html", context, user=user)
    if unread:  # shown as new this once, as the notifications page does
        direct_messages.mark_all_read(session, user_id=user.id)
    return page


def _featured_page(request: Request, session: SessionDep, user: User, form: forms.Form) -> Response:
    context = {
        "featured": featured.featured_tags(session, user_id=user.id),
        "suggested": featured.tag_suggestions(session, user_id=user.id),
        "form": form,
    }
    code = FORM_ERROR if form.errors else 200
    return render(request, "featured_tags.html", context, user=user, status_code=code)


@router.get("/settings/featured_tags")
def featured_tags_page(request: Request, session: SessionDep, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, "/settings/featured_tags")
    return _featured_page(request, session, user, forms.Form({}))


@router.post("/settings/featured_tags")
def feature_tag(
    request: Request, session: SessionDep, user: Viewer, name: Annotated[str, Form()] = ""
) -> Response:
    if user is None:
        return login_redirect(request, "/settings/featured_tags")
    try:
        featured.feature_tag(session, user_id=user.id, name=name[:200])
    except featured.BadFeature as error:
        form = forms.Form({"name": name}, {"name": error.message})
        return _featured_page(request, session, user, form)
    return see_other("/settings/featured_tags")


@router.post("/settings/featured_tags/{featured_id}/delete")
def unfeature_tag(
    request: Request, session: SessionDep, user: Viewer, featured_id: UserId
) -> Response:
    if user is None:
        return login_redirect(request, "/settings/featured_tags")
    featured.unfeature_tag(session, user_id=user.id, featured_id=featured_id)
    return see_other("/settings/featured_tags")
