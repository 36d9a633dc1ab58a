"""Sign up, log in, log out, profile settings: plain forms that re-render with inline errors."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from webapp import crud, ratelimit, sessions
from webapp.config import settings
from webapp.deps import SessionDep
from webapp.models import User
from webapp.web import flash, forms
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

FORM_ERROR = status.HTTP_422_UNPROCESSABLE_CONTENT  # every form with errors answers this


def viewer(session: SessionDep, request: Request) -> User | None:
    return sessions.current_user(session, request)


Viewer = Annotated[User | None, Depends(viewer)]


def login_redirect(request: Request, next_path: str) -> Response:
    """Send a visitor to log in, then back; htmx follows HX-Redirect with a full page load."""
    target = f"/login?next={quote(forms.safe_next(next_path), safe='/@')}"
    if is_htmx(request):
        return Response(headers={"HX-Redirect": target})
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


def _signed_in(session: SessionDep, request: Request, user: User, next_path: str) -> Response:
    response = RedirectResponse(forms.safe_next(next_path), status.HTTP_303_SEE_OTHER)
    sessions.start(session, response, user, request)
    return response


@router.get("/signup")
def signup_page(request: Request, user: Viewer) -> Response:
    if settings.registrations == "closed":
        raise crud.RegistrationsClosed()
    return render(request, "signup.html", {"form": forms.Form({})}, user=user)


@router.post("/signup")
def signup(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    handle: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    ratelimit.enforce("sign_up", request, email or None)  # past it: a 429 page, Retry-After
    if settings.registrations == "closed":
        raise crud.RegistrationsClosed()
    form = forms.signup_form(email, handle, password)
    if form.ok:
        try:
            values = form.values
            user = crud.register(
                session, email=values["email"], password=password, username=values["handle"]
            )
            if user.pending:  # REGISTRATIONS=approval: no session until an admin says yes
                return render(request, "signup_pending.html", {"handle": user.username})
            return _signed_in(session, request, user, "/")
        except crud.EmailTaken:
            form.errors["email"] = "An account with that email already exists. Log in instead?"
        except crud.UsernameTaken:
            form.errors["handle"] = "That handle is taken; try another."
        except crud.DomainError as error:  # e.g. a too-common password
            form.errors["password"] = error.message
    form.values["password"] = ""  # never echo a password back into the page
    return render(request, "signup.html", {"form": form}, status_code=FORM_ERROR)


@router.get("/login")
def login_page(request: Request, user: Viewer, next: str = "/") -> Response:
    context = {"form": forms.Form({}), "next": forms.safe_next(next)}
    return render(request, "login.html", context, user=user)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    ratelimit.enforce("login", request, email or None)  # shares its budget with POST /token
    # authenticate matches no one for an empty or unstorable (NUL) email, at a wrong password's
    # cost; `email` may be the handle too
    try:
        user = crud.authenticate(session, email=email, password=password)
    except crud.AccountUnavailable as error:
        form = forms.Form({"email": email.strip()}, {"password": error.message})
    else:
        if user is not None:
            return _signed_in(session, request, user, next)
        # Either field may be the wrong one: both are marked, the message is said once.
        errors = {"email": "", "password": "Wrong email, handle or password."}
        form = forms.Form({"email": email.strip()}, errors)
    context = {"form": form, "next": forms.safe_next(next)}
    return render(request, "login.html", context, status_code=FORM_ERROR)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    response = RedirectResponse("/", status.HTTP_303_SEE_OTHER)
    sessions.end(session, request, response)
    flash.attach(response, flash.Note("You're logged out."))
    return response


@router.get("/settings")
def settings_page(request: Request, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, "/settings")
    form = forms.Form({"display_name": user.display_name, "bio": user.bio})
    return render(request, "settings.html", {"form": form}, user=user)


@router.post("/settings")
def save_settings(
    request: Request,
    session: SessionDep,
    user: Viewer,
    display_name: Annotated[str, Form()] = "",
    bio: Annotated[str, Form()] = "",
) -> Response:
    if user is None:
        return login_redirect(request, "/settings")
    form = forms.profile_form(display_name, bio)
    if not form.ok:
        return render(request, "settings.html", {"form": form}, user=user, status_code=FORM_ERROR)
    crud.update_profile(session, user_id=user.id, **form.values)
    response = RedirectResponse(f"/@{user.username}", status.HTTP_303_SEE_OTHER)
    flash.attach(response, flash.Note("Profile saved."))
    return response
