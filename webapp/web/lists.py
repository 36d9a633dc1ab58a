"""Lists on the web: /lists (yours, and a form to make one) and /lists/<id> (its timeline,
its people, rename, delete). Plain forms answering 303; the timeline scrolls like home."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from webapp import crud
from webapp.crud import lists
from webapp.deps import SessionDep
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.web import forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.filtering import filtered
from webapp.web.pages import Before, timeline_context, timeline_response
from webapp.web.responses import see_other
from webapp.web.templating import render

router = APIRouter(include_in_schema=False)
ListId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
Text = Annotated[str, Form()]


def _index(request: Request, session: SessionDep, user: User, form: forms.Form) -> Response:
    context = {"lists": lists.my_lists(session, owner_id=user.id), "form": form}
    code = FORM_ERROR if form.errors else 200
    return render(request, "lists.html", context, user=user, status_code=code)


@router.get("/lists")
def index(request: Request, session: SessionDep, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, "/lists")
    return _index(request, session, user, forms.Form({}))


@router.post("/lists")
def create(request: Request, session: SessionDep, user: Viewer, title: Text = "") -> Response:
    if user is None:
        return login_redirect(request, "/lists")
    try:
        row = lists.create_list(session, owner_id=user.id, title=title)
    except lists.BadList as error:
        return _index(
            request, session, user, forms.Form({"title": title}, {"title": error.message})
        )
    return see_other(f"/lists/{row.id}")


def _list_context(session: SessionDep, user: User, list_id: int) -> dict[str, Any]:
    row = lists.get_list(session, list_id=list_id, owner_id=user.id)
    people = lists.members(session, list_id=row.id, owner_id=user.id, limit=None)
    return {"list": row, "members": people}


@router.get("/lists/{list_id}")
def show(
    request: Request, session: SessionDep, user: Viewer, list_id: ListId, before: Before = None
) -> Response:
    if user is None:
        return login_redirect(request, f"/lists/{list_id}")
    page = lists.list_timeline(session, list_id=list_id, owner_id=user.id, before=before)
    page = filtered(session, request, user, page, "home")  # a list reads as home does
    context = timeline_context(page, f"/lists/{list_id}")
    context |= _list_context(session, user, list_id) | {"form": forms.Form({})}
    return timeline_response(request, user, "list.html", context)


@router.post("/lists/{list_id}/rename")
def rename(
    request: Request, session: SessionDep, user: Viewer, list_id: ListId, title: Text = ""
) -> Response:
    if user is None:
        return login_redirect(request, f"/lists/{list_id}")
    try:
        lists.update_list(session, list_id=list_id, owner_id=user.id, title=title)
    except lists.BadList as error:
        return _form_error(request, session, user, list_id, "title", title, error.message)
    return see_other(f"/lists/{list_id}")


@router.post("/lists/{list_id}/delete")
def delete(request: Request, session: SessionDep, user: Viewer, list_id: ListId) -> Response:
    if user is None:
        return login_redirect(request, f"/lists/{list_id}")
    lists.delete_list(session, list_id=list_id, owner_id=user.id)
    return see_other("/lists")


@router.post("/lists/{list_id}/members")
def add_member(
    request: Request, session: SessionDep, user: Viewer, list_id: ListId, handle: Text = ""
) -> Response:
    if user is None:
        return login_redirect(request, f"/lists/{list_id}")
    name = handle.strip().lstrip("@")
    try:
        person = crud.get_user_by_username(session, name[:30]) if name else None
        if person is None:
            raise crud.NotFound()
        lists.add_members(session, list_id=list_id, owner_id=user.id, user_ids=[person.id])
    except crud.NotFound:
        lists.get_list(session, list_id=list_id, owner_id=user.id)  # the list itself: a 404
        message = f"There is nobody called @{name}." if name else "Type a handle to add."
        return _form_error(request, session, user, list_id, "handle", handle, message)
    except lists.NotFollowing as error:
        return _form_error(request, session, user, list_id, "handle", handle, error.message)
    return see_other(f"/lists/{list_id}")


@router.post("/lists/{list_id}/members/{user_id}/remove")
def remove_member(
    request: Request, session: SessionDep, user: Viewer, list_id: ListId, user_id: ListId
) -> Response:
    if user is None:
        return login_redirect(request, f"/lists/{list_id}")
    lists.remove_members(session, list_id=list_id, owner_id=user.id, user_ids=[user_id])
    return see_other(f"/lists/{list_id}")


def _form_error(
    request: Request,
    session: SessionDep,
    user: User,
    list_id: int,
    field: str,
    typed: str,
    message: str,
) -> Response:
    """The list page again, with the message by its field and what was typed kept."""
    page = lists.list_timeline(session, list_id=list_id, owner_id=user.id)
    context = timeline_context(page, f"/lists/{list_id}") | _list_context(session, user, list_id)
    context["form"] = forms.Form({field: typed}, {field: message})
    return render(request, "list.html", context, user=user, status_code=FORM_ERROR)
