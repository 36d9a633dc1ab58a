"""Reporting (anyone signed in) and the admin pages (/admin: reports, sign-ups waiting for
approval, suspended accounts, the audit log). Admin pages are a 404 to everyone else."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from webapp import crud
from webapp.crud import moderation
from webapp.deps import SessionDep
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.web import forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.forms import Handle, TweetId
from webapp.web.pages import Before
from webapp.web.responses import see_other
from webapp.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
RowId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
CATEGORY_LABELS = {
    "spam": "Spam or scam",
    "legal": "Illegal content",
    "violation": "Breaks the server's rules (abuse, harassment)",
    "other": "Something else",
}


def _report_page(
    request: Request, user: User, target: User, tweet_id: int | None, form: forms.Form
) -> Response:
    context = {"target": target, "tweet_id": tweet_id, "form": form, "labels": CATEGORY_LABELS}
    code = FORM_ERROR if form.errors else 200
    return render(request, "report.html", context, user=user, status_code=code)


def _reported(
    request: Request,
    session: SessionDep,
    user: User,
    target: User,
    tweet_id: int | None,
    category: str,
    comment: str,
) -> Response:
    form = forms.Form({"category": category, "comment": comment})
    try:
        moderation.create_report(
            session,
            reporter_id=user.id,
            target_id=target.id,
            tweet_id=tweet_id,
            category=category,
            comment=comment,
        )
    except moderation.BadReport as error:
        form.errors["category" if category not in CATEGORY_LABELS else "comment"] = error.message
        return _report_page(request, user, target, tweet_id, form)
    return render(request, "report.html", {"target": target, "sent": True}, user=user)


@router.get("/@{handle}/report")
def report_person_page(
    request: Request, session: SessionDep, user: Viewer, handle: Handle
) -> Response:
    target = crud.get_user_by_username(session, handle)
    if user is None:
        return login_redirect(request, f"/@{target.username}/report")
    return _report_page(request, user, target, None, forms.Form({}))


@router.post("/@{handle}/report")
def report_person(
    request: Request,
    session: SessionDep,
    user: Viewer,
    handle: Handle,
    category: Text = "",
    comment: Text = "",
) -> Response:
    target = crud.get_user_by_username(session, handle)
    if user is None:
        return login_redirect(request, f"/@{target.username}/report")
    return _reported(request, session, user, target, None, category, comment)


@router.get("/t/{tweet_id}/report")
def report_post_page(
    request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId
) -> Response:
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}/report")
    tweet = crud.get_tweet_with_owner(session, tweet_id, user.id)
    return _report_page(request, user, tweet.owner, tweet.id, forms.Form({}))


@router.post("/t/{tweet_id}/report")
def report_post(
    request: Request,
    session: SessionDep,
    user: Viewer,
    tweet_id: TweetId,
    category: Text = "",
    comment: Text = "",
) -> Response:
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}/report")
    tweet = crud.get_tweet_with_owner(session, tweet_id, user.id)
    return _reported(request, session, user, tweet.owner, tweet.id, category, comment)


@router.get("/admin")
def admin_page(request: Request, session: SessionDep, user: Viewer) -> Response:
    admin = moderation.require_admin(user)
    context = {
        "reports": moderation.open_reports(session),
        "pending": moderation.pending_accounts(session),
        "suspended": moderation.suspended_accounts(session),
        "log": moderation.audit_log(session, limit=10),
    }
    return render(request, "admin.html", context, user=admin)


@router.get("/admin/log")
def admin_log(
    request: Request, session: SessionDep, user: Viewer, before: Before = None
) -> Response:
    admin = moderation.require_admin(user)
    entries = moderation.audit_log(session, before=before)
    more = entries[-1].id if len(entries) == moderation.LOG_PAGE else None
    return render(request, "admin_log.html", {"log": entries, "more": more}, user=admin)


@router.post("/admin/reports/{report_id}/resolve")
def resolve(session: SessionDep, user: Viewer, report_id: RowId) -> Response:
    moderation.resolve_report(session, admin=moderation.require_admin(user), report_id=report_id)
    return see_other("/admin")


ACCOUNT_ACTIONS = {
    "unsuspend": moderation.unsuspend,
    "approve": moderation.approve,
    "reject": moderation.reject,
}


@router.post("/admin/accounts/{user_id}/suspend")
def suspend(session: SessionDep, user: Viewer, user_id: RowId, reason: Text = "") -> Response:
    admin = moderation.require_admin(user)
    moderation.suspend(session, admin=admin, user_id=user_id, reason=reason.strip())
    return see_other("/admin")


@router.post("/admin/suspend")
def suspend_by_handle(
    session: SessionDep, user: Viewer, handle: Text = "", reason: Text = ""
) -> Response:
    admin = moderation.require_admin(user)
    target = crud.get_user_by_username(session, handle.strip().lstrip("@")[:30])
    moderation.suspend(session, admin=admin, user_id=target.id, reason=reason.strip())
    return see_other("/admin")


@router.post("/admin/accounts/{user_id}/{action}")
def account_action(session: SessionDep, user: Viewer, user_id: RowId, action: str) -> Response:
    admin = moderation.require_admin(user)
    if action not in ACCOUNT_ACTIONS:
        raise crud.NotFound("There is no page at this address.")
    ACCOUNT_ACTIONS[action](session, admin=admin, user_id=user_id)
    return see_other("/admin")


@router.post("/admin/tweets/{tweet_id}/delete")
def delete_post(session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    moderation.delete_post(session, admin=moderation.require_admin(user), tweet_id=tweet_id)
    return see_other("/admin")
