"""Account settings and recovery pages: change password or email, export, delete, and the
"Forgot password?" flow. Plain forms (post/redirect/get); mail goes out after the response."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Path, Request
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from webapp import crud, mail, ratelimit, sessions
from webapp.crud import export, lifecycle
from webapp.deps import SessionDep
from webapp.models import User
from webapp.web import forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.responses import see_other
from webapp.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# Mailed tokens are 43 characters; anything much longer is no token of ours.
Token = Annotated[str, Path(max_length=100)]
ACCOUNT = "/settings/account"
DONE = {
    "password": "Your password was changed. Your other sessions were logged out.",
    "email": "Check the inbox of your new address: the change happens when you open the link.",
}


def _account_page(
    request: Request, user: User, form: forms.Form | None = None, done: str = ""
) -> Response:
    context = {"form": form or forms.Form({}), "done": DONE.get(done, "")}
    code = FORM_ERROR if form and form.errors else 200
    return render(request, "account.html", context, user=user, status_code=code)


@router.get(ACCOUNT)
def account_page(request: Request, user: Viewer, done: str = "") -> Response:
    if user is None:
        return login_redirect(request, ACCOUNT)
    return _account_page(request, user, done=done)


@router.post(f"{ACCOUNT}/password")
def change_password(
    request: Request,
    session: SessionDep,
    user: Viewer,
    current_password: Text = "",
    new_password: Text = "",
) -> Response:
    if user is None:
        return login_redirect(request, ACCOUNT)
    ratelimit.enforce("login", request, user.email)  # guessing the current one is a login
    form = forms.new_password_form("new_password", new_password)
    if form.ok:
        try:
            lifecycle.change_password(
                session,
                user_id=user.id,
                current=current_password,
                new=new_password,
                keep_session=sessions.session_token(request),
            )
            return see_other(f"{ACCOUNT}?done=password")
        except lifecycle.WrongPassword as error:
            form.errors["current_password"] = error.message
        except crud.WeakPassword as error:
            form.errors["new_password"] = error.message
    return _account_page(request, user, form)


@router.post(f"{ACCOUNT}/email")
def change_email(
    request: Request,
    session: SessionDep,
    user: Viewer,
    tasks: BackgroundTasks,
    new_email: Text = "",
    email_password: Text = "",
) -> Response:
    if user is None:
        return login_redirect(request, ACCOUNT)
    ratelimit.enforce("login", request, user.email)
    form = forms.email_form("new_email", new_email)
    if form.ok:
        address = form.values["new_email"]
        try:
            token = lifecycle.start_email_change(
                session, user_id=user.id, password=email_password, new_email=address
            )
            link = f"{request.base_url}email/confirm/{token}"
            tasks.add_task(_mail_email_change, address, user.username, link)
            return see_other(f"{ACCOUNT}?done=email")
        except lifecycle.WrongPassword as error:
            form.errors["email_password"] = error.message
        except crud.EmailTaken as error:
            form.errors["new_email"] = error.message
    return _account_page(request, user, form)


def _mail_email_change(address: str, username: str, link: str) -> None:
    body = (
        f"Someone (we hope you) asked to use this address for @{username} on Chirp.\n\n"
        f"Confirm it here (the link works once, for a day):\n{link}\n\n"
        "If it wasn't you, ignore this mail: nothing changes."
    )
    mail.send(to=address, subject="Confirm your new email on Chirp", body=body)


@router.get("/email/confirm/{token}")
def confirm_email_page(
    request: Request, session: SessionDep, user: Viewer, token: Token
) -> Response:
    works = lifecycle.link_works(session, token, "email")
    return render(request, "email_confirm.html", {"token": token, "works": works}, user=user)


@router.post("/email/confirm/{token}")
def confirm_email(request: Request, session: SessionDep, user: Viewer, token: Token) -> Response:
    try:
        changed = lifecycle.confirm_email_change(session, token=token)
    except (lifecycle.LinkInvalid, crud.EmailTaken) as error:
        context = {"token": token, "works": False, "error": error.message}
        return render(request, "email_confirm.html", context, user=user, status_code=400)
    context = {"changed": changed.email}
    return render(request, "email_confirm.html", context, user=user)


@router.get(f"{ACCOUNT}/export.zip")
def export_archive(request: Request, session: SessionDep, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, ACCOUNT)
    archive = export.write_archive(
        session, user_id=user.id, base_url=str(request.base_url), domain=request.url.netloc
    )
    name = f"chirp-{user.username}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return StreamingResponse(archive, media_type="application/zip", headers=headers)


@router.post(f"{ACCOUNT}/delete")
def delete_account(
    request: Request,
    session: SessionDep,
    user: Viewer,
    delete_password: Text = "",
    confirm: Text = "",
) -> Response:
    if user is None:
        return login_redirect(request, ACCOUNT)
    ratelimit.enforce("login", request, user.email)
    form = forms.Form({})
    if confirm != "yes":
        form.errors["confirm"] = "Tick the box to say you understand this can't be undone."
    else:
        try:
            lifecycle.delete_account(session, user_id=user.id, password=delete_password)
        except lifecycle.WrongPassword as error:
            form.errors["delete_password"] = error.message
        else:
            response = render(request, "account_deleted.html", {"handle": user.username})
            sessions.end(session, request, response)
            return response
    return _account_page(request, user, form)


@router.get("/password/forgot")
def forgot_page(request: Request, user: Viewer) -> Response:
    return render(request, "password_forgot.html", {"form": forms.Form({})}, user=user)


@router.post("/password/forgot")
def forgot(
    request: Request, session: SessionDep, user: Viewer, tasks: BackgroundTasks, email: Text = ""
) -> Response:
    """The answer is the same whether or not the address has an account (no account probing);
    the mail, if any, goes out after the response, so the timing says nothing either."""
    form = forms.email_form("email", email)
    if not form.ok:
        return render(request, "password_forgot.html", {"form": form}, user=user, status_code=422)
    ratelimit.enforce("reset", request, form.values["email"])
    found = lifecycle.start_password_reset(session, email=form.values["email"])
    if found is not None:
        account, token = found
        link = f"{request.base_url}password/reset/{token}"
        tasks.add_task(_mail_reset, account.email, account.username, link)
    return render(request, "password_forgot.html", {"sent_to": form.values["email"]}, user=user)


def _mail_reset(address: str, username: str, link: str) -> None:
    body = (
        f"Someone (we hope you) asked to reset the password of @{username} on Chirp.\n\n"
        f"Choose a new password here (the link works once, for an hour):\n{link}\n\n"
        "If it wasn't you, ignore this mail: your password stays as it is."
    )
    mail.send(to=address, subject="Reset your Chirp password", body=body)


@router.get("/password/reset/{token}")
def reset_page(request: Request, session: SessionDep, user: Viewer, token: Token) -> Response:
    context = {"form": forms.Form({}), "token": token}
    context["works"] = lifecycle.link_works(session, token, "reset")
    return render(request, "password_reset.html", context, user=user)


@router.post("/password/reset/{token}")
def reset(
    request: Request, session: SessionDep, user: Viewer, token: Token, new_password: Text = ""
) -> Response:
    form = forms.new_password_form("new_password", new_password)
    context = {"form": form, "token": token, "works": True}
    if form.ok:
        try:
            account = lifecycle.reset_password(session, token=token, new_password=new_password)
        except lifecycle.LinkInvalid:
            context["works"] = False
        except crud.WeakPassword as error:
            form.errors["new_password"] = error.message
        else:
            response = see_other("/")
            sessions.start(session, response, account, request)
            return response
    return render(request, "password_reset.html", context, user=user, status_code=FORM_ERROR)
