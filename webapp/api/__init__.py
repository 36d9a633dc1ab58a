"""The JSON API of ../shared/CONTRACT.md: the seed's paths and shapes, exactly."""

from fastapi import APIRouter

from webapp.api import auth, tweets, users

router = APIRouter()
router.include_router(auth.router)
router.include_router(users.router)
router.include_router(tweets.router)
