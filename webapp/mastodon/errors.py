"""Mastodon-style errors: every failure under /api/v1/ and /oauth/ is `{"error": "..."}`.

A custom route class catches what FastAPI and crud raise inside these routes only, so
the contract API keeps its own `{"detail": ...}` shape untouched.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from webapp import crud, ratelimit


class MastodonError(Exception):
    def __init__(self, status: int, error: str, description: str | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.description = status, error, description


def not_found() -> MastodonError:
    return MastodonError(404, "Record not found")


def error_response(error: MastodonError) -> JSONResponse:
    body = {"error": error.error}
    if error.description:
        body["error_description"] = error.description
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return JSONResponse(body, status_code=error.status, headers=headers)


def _translate(exc: Exception) -> MastodonError | None:
    if isinstance(exc, MastodonError):
        return exc
    if isinstance(exc, crud.NotFound):
        return not_found()
    if isinstance(exc, crud.Forbidden):
        return MastodonError(403, exc.message)
    if isinstance(exc, crud.DomainError):
        return MastodonError(422, f"Validation failed: {exc.message}")
    if isinstance(exc, RequestValidationError):
        return MastodonError(422, f"Validation failed: {_first_problem(exc)}")
    if isinstance(exc, HTTPException):
        return MastodonError(exc.status_code, str(exc.detail))
    return None


def _first_problem(exc: RequestValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:])
    # ASCII only: the message never echoes the (possibly unencodable) input itself.
    message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid input"
    return message.encode("ascii", "replace").decode()


class MastodonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except ratelimit.RateLimited as limited:
                return JSONResponse(
                    {"error": "Too many requests"},
                    status_code=429,
                    headers={"Retry-After": str(limited.retry_after)},
                )
            except Exception as exc:
                translated = _translate(exc)
                if translated is None:
                    raise
                return error_response(translated)

        return handle
