"""The JSON API of ../shared/CONTRACT.md: the seed's paths and shapes, exactly."""

from fastapi import APIRouter

from webapp.api import auth, conversations, tweets, users
from webapp.api.errors import doc

# Any route may answer 400 for a body that cannot even be decoded (FastAPI's own answer),
# and 503 while the database is unreachable (webapp.failures).
router = APIRouter(
    responses={
        **doc(400, "The request body could not be parsed"),
        **doc(503, "The database is unavailable; retry after Retry-After"),
    }
)
router.include_router(auth.router)
router.include_router(users.router)
router.include_router(tweets.router)
router.include_router(conversations.router)
