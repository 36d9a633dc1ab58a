"""OAuth for Mastodon apps: register (POST /api/v1/apps), consent page, token, revoke."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from webapp import crud, csrf, ratelimit, sessions
from webapp.config import settings
from webapp.crud import oauth, push
from webapp.deps import SessionDep
from webapp.mastodon.body import Params, plain, text_param
from webapp.mastodon.deps import OptionalBearer
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.scopes import (
    OOB,
    csp_origin,
    ensure_granted,
    parse_redirect_uris,
    parse_scopes,
    with_query,
)
from webapp.models import OAuthApp, User
from webapp.web.templating import render

router = APIRouter(route_class=MastodonRoute)
FormStr = Annotated[str, Form(max_length=2000)]


@router.post("/api/v1/apps")
def create_app(session: SessionDep, values: Params) -> dict[str, Any]:
    name = text_param(values, "client_name", required=True) or ""
    website = text_param(values, "website")
    uris = parse_redirect_uris(values.get("redirect_uris"))
    scopes = " ".join(parse_scopes(text_param(values, "scopes")))
    if len(name) > 200 or len(website or "") > 500 or len("\n".join(uris)) > 2000:
        raise MastodonError(422, "Validation failed: name, website or redirect URIs are too long")
    app, secret = oauth.create_app(
        session, name=name, redirect_uris="\n".join(uris), scopes=scopes, website=website
    )
    vapid_key = push.vapid_keys(session).public_key
    return application(app, vapid_key) | {"client_id": app.client_id, "client_secret": secret}


@router.get("/api/v1/apps/verify_credentials")
def verify_app(session: SessionDep, bearer: OptionalBearer) -> dict[str, Any]:
    """The app the token was issued to (any scope will do, as on Mastodon)."""
    if bearer is None:
        raise MastodonError(401, "The access token is invalid")
    app = session.get(OAuthApp, bearer.app_id) if bearer.app_id is not None else None
    if app is None:
        raise MastodonError(401, "This token was not issued to an app")
    return application(app, push.vapid_keys(session).public_key)


def application(app: OAuthApp, vapid_key: str) -> dict[str, Any]:
    """Mastodon's Application; `vapid_key` is the key Web Push is signed with."""
    uris = app.redirect_uris.split("\n")
    return {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(),
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": vapid_key,
    }


def _checked(
    session: SessionDep, client_id: str, redirect_uri: str, scope: str | None
) -> tuple[OAuthApp, str]:
    for value, name in (
        (client_id, "client_id"),
        (redirect_uri, "redirect_uri"),
        (scope or "", "scope"),
    ):
        plain(value, name)
    try:
        app = oauth.get_app(session, client_id)
    except crud.NotFound as error:
        raise MastodonError(400, "invalid_client", "Unknown client_id") from error
    if redirect_uri not in app.redirect_uris.split("\n"):
        raise MastodonError(400, "invalid_request", "redirect_uri is not registered for this app")
    return app, ensure_granted(parse_scopes(scope), app.scopes)


def _consent_page(
    request: Request,
    app: OAuthApp,
    form: dict[str, str],
    user: User | None,
    status: int = 200,
    error: str = "",
) -> Response:
    context = {"app": app, "form": form, "error": error, "csrf_token": csrf.token(request)}
    page = render(request, "oauth/authorize.html", context, user=user, status_code=status)
    # form-action also governs the 303 that follows the post, so the app's origin is allowed.
    form_action = " ".join(filter(None, ["'self'", csp_origin(form["redirect_uri"])]))
    page.headers["Content-Security-Policy"] = (
        f"default-src 'self'; form-action {form_action}; frame-ancestors 'none'"
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/oauth/authorize", response_class=HTMLResponse)
@router.get("/oauth/authorize/", response_class=HTMLResponse, include_in_schema=False)  # toot's
def authorize_page(
    request: Request,
    session: SessionDep,
    client_id: str,
    redirect_uri: str = OOB,
    response_type: str = "code",
    scope: str | None = None,
    state: str = "",
) -> Response:
    if response_type != "code":
        raise MastodonError(400, "unsupported_response_type", "Only response_type=code")
    app, scopes = _checked(session, client_id, redirect_uri, scope)
    form = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scopes, "state": state}
    return _consent_page(request, app, form, sessions.current_user(session, request))


@router.post("/oauth/authorize")
def authorize(
    request: Request,
    session: SessionDep,
    client_id: FormStr,
    redirect_uri: FormStr,
    scope: FormStr,
    state: FormStr = "",
    decision: FormStr = "deny",
    email: FormStr = "",
    password: FormStr = "",
) -> Response:
    app, scopes = _checked(session, client_id, redirect_uri, scope)
    form = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scopes, "state": state}
    if decision != "authorize":
        return _finish(request, app, form, None)
    try:
        user = sessions.current_user(session, request) or _sign_in(
            request, session, email, password
        )
    except crud.AccountUnavailable as error:
        return _consent_page(request, app, form, None, 403, error.message)
    if user is None:
        return _consent_page(request, app, form, None, 401, "Wrong email or password.")
    code = oauth.create_code(
        session, app_id=app.id, user_id=user.id, redirect_uri=redirect_uri, scopes=scopes
    )
    return _finish(request, app, form, code)


def _sign_in(request: Request, session: SessionDep, email: str, password: str) -> User | None:
    ratelimit.enforce("login", request, email or None)  # the same budget as the login page
    return crud.authenticate(
        session, email=plain(email, "email"), password=plain(password, "password")
    )


def _finish(request: Request, app: OAuthApp, form: dict[str, str], code: str | None) -> Response:
    """Back to the app with a code, or with access_denied when there is none."""
    if form["redirect_uri"] == OOB:
        return _code_page(request, app, code)
    outcome = {"code": code} if code else {"error": "access_denied"}
    if form["state"]:
        outcome["state"] = form["state"]
    return RedirectResponse(with_query(form["redirect_uri"], **outcome), 303)


def _code_page(request: Request, app: OAuthApp, code: str | None) -> Response:
    page = render(request, "oauth/code.html", {"app": app, "code": code})
    page.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    page.headers["Cache-Control"] = "no-store"
    return page


def _client(session: SessionDep, values: dict[str, Any]) -> OAuthApp:
    client_id = text_param(values, "client_id") or ""
    secret = text_param(values, "client_secret") or ""
    app = oauth.authenticate_app(session, client_id=client_id, client_secret=secret)
    if app is None:
        raise MastodonError(401, "invalid_client", "Client authentication failed")
    return app


def _user_and_scopes(
    request: Request, session: SessionDep, app: OAuthApp, values: dict[str, Any]
) -> tuple[int, str]:
    grant = values.get("grant_type")
    if grant == "authorization_code":
        code = oauth.redeem_code(
            session,
            app_id=app.id,
            code=text_param(values, "code", required=True) or "",
            redirect_uri=text_param(values, "redirect_uri") or OOB,
        )
        return code.user_id, code.scopes
    if grant == "password":
        scopes = ensure_granted(parse_scopes(text_param(values, "scope")), app.scopes)
        email = text_param(values, "username", required=True) or ""
        ratelimit.enforce("login", request, email)
        user = crud.authenticate(
            session, email=email, password=text_param(values, "password", required=True) or ""
        )
        if user is None:
            raise MastodonError(400, "invalid_grant", "Wrong email or password")
        return user.id, scopes
    raise MastodonError(400, "unsupported_grant_type", "Use authorization_code or password")


@router.post("/oauth/token")
def token(request: Request, session: SessionDep, values: Params) -> dict[str, Any]:
    app = _client(session, values)
    try:
        user_id, scopes = _user_and_scopes(request, session, app, values)
    except oauth.InvalidGrant as error:
        raise MastodonError(400, "invalid_grant", error.message) from error
    max_age = timedelta(days=settings.api_token_max_age_days)
    access = oauth.create_app_token(
        session, app_id=app.id, user_id=user_id, scopes=scopes, max_age=max_age
    )
    created = int(datetime.now(UTC).timestamp())
    return {"access_token": access, "token_type": "Bearer", "scope": scopes, "created_at": created}


@router.post("/oauth/revoke")
def revoke(session: SessionDep, values: Params) -> dict[str, Any]:
    app = _client(session, values)
    oauth.revoke_app_token(
        session, app_id=app.id, token=text_param(values, "token", required=True) or ""
    )
    return {}
