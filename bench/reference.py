"""The reference page: Starlette + Jinja, one SELECT of 20 rows, rendered. Nothing else.

It is what the hardware, the database and the ASGI stack can do for a timeline-like page;
bench/run compares the app's home page against it in the same run, on the same database.
"""

import os

from jinja2 import Environment
from sqlalchemy import create_engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from webapp import sqlcount
from webapp.concurrency import ConcurrencyLimit

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=10)
QUERY = text(
    "SELECT t.id, t.text, t.like_count, t.created_at, u.username FROM tweets t "
    "JOIN users u ON u.id = t.owner_id ORDER BY t.id DESC LIMIT 20"
)
PAGE = Environment(autoescape=True).from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reference</title></head>
<body><main><h1>Everyone</h1><ol>
{% for t in tweets %}<li><article><a href="/@{{ t.username }}">@{{ t.username }}</a>
<p>{{ t.text }}</p><time datetime="{{ t.created_at.isoformat() }}">{{ t.created_at }}</time>
<span>{{ t.like_count }} likes</span></article></li>
{% endfor %}</ol></main></body></html>"""
)


def home(_request: Request) -> HTMLResponse:
    with engine.connect() as connection:
        tweets = connection.execute(QUERY).all()
    return HTMLResponse(PAGE.render(tweets=tweets))


# Counted like the app (X-SQL-Statements), so the table shows the reference's one SELECT.
sqlcount.listen(engine)
# The same request cap as the app gets (MAX_CONCURRENT_REQUESTS), so both are tuned alike.
_limit = int(os.environ.get("MAX_CONCURRENT_REQUESTS") or 0) or None
app = ConcurrencyLimit(
    sqlcount.SQLCountMiddleware(Starlette(routes=[Route("/", home)]), enabled=lambda: True),
    limit=_limit,
)
