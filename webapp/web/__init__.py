"""The HTML side: pages, forms and htmx fragments over the same crud layer as the JSON API."""

from fastapi import APIRouter

# cards registers the tweet_card template global that every timeline template calls.
from webapp.web import accounts, actions, cards, lifecycle, lists, moderation, pages  # noqa: F401

router = APIRouter()
router.include_router(accounts.router)
router.include_router(pages.router)
router.include_router(actions.router)
router.include_router(lifecycle.router)
router.include_router(moderation.router)
router.include_router(lists.router)
