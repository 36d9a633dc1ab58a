"""The JSON API of ../shared/CONTRACT.md: the seed's paths and shapes, exactly."""

from webapp.api import auth, conversations, tweets, users
from webapp.routing import gather

# One router, one level deep (webapp/routing.py).
router = gather(auth.router, users.router, tweets.router, conversations.router)
