"""The HTML side: pages, forms and htmx fragments over the same crud layer as the JSON API."""

# cards registers the tweet_card template global that every timeline template calls.
from webapp.routing import gather
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

router = gather(
    accounts.router,
    pages.router,
    actions.router,
    lifecycle.router,
    moderation.router,
    search.router,
    conversations.router,
    live.router,  # notifications and live updates (issue 14)
    profiles.router,  # issue 16
    lists.router,
    edits.router,  # issue 19: editing and polls
    blocks.router,  # issue 17
    filters.router,  # keyword filters (issue 17)
    social.router,  # issue 19
    saved.router,  # bookmarks, pins, /@handle/ID (extras)
    scheduled.router,  # scheduled posts
)
