"""GET /healthz: is the app up, and can it reach its database?"""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp import db

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    responses={503: {"description": "The database is unreachable"}},
)
def healthz() -> JSONResponse:
    """200 when the database answers, 503 (for load balancers to notice) when it does not."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        body = {"status": "degraded", "database": "unreachable"}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "2"})
    return JSONResponse({"status": "ok", "database": "ok"})
