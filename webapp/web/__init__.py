"""The HTML side: pages, forms and htmx fragments over the same crud layer as the JSON API."""

from fastapi import APIRouter

# cards registers the tweet_card template global that every timeline template calls.
from webapp.web import (  # noqa: F401
    accounts,
    actions,
    blocks,
    cards,
    conversations,
    edits,
    filters,
    lifecycle,
    lists,
    live,
    moderation,
    pages,
    profiles,
    saved,
    scheduled,
    search,
    social,
)

router = APIRouter()
router.include_router(accounts.router)
router.include_router(pages.router)
router.include_router(actions.router)
router.include_router(lifecycle.router)
router.include_router(moderation.router)
router.include_router(search.router)
router.include_router(conversations.router)
router.include_router(live.router)  # notifications and live updates (issue 14)
router.include_router(profiles.router)  # issue 16
router.include_router(lists.router)
router.include_router(edits.router)  # issue 19: editing and polls
router.include_router(blocks.router)  # issue 17
router.include_router(filters.router)  # keyword filters (issue 17)
router.include_router(social.router)  # issue 19
router.include_router(saved.router)  # bookmarks, pins, /@handle/ID (extras)
router.include_router(scheduled.router)  # scheduled posts
