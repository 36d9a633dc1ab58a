"""Keyword filters on the pages (issue 17): a page's posts, once loaded, pass through the
viewer's filters for the page's context (home, public, thread, account, notifications).

The viewer's rules are loaded at most once per request, and only when users.has_filters
says there are some: a page of someone without filters costs what it did before.
"""

from dataclasses import replace

from fastapi import Request
from sqlalchemy.orm import Session

from webapp.crud import filter_rules
from webapp.crud.filter_rules import Rules
from webapp.crud.hydrate import Page
from webapp.crud.threads import Thread
from webapp.models import User


def rules(session: Session, request: Request, user: User | None) -> Rules:
    found: Rules | None = getattr(request.state, "filter_rules", None)
    if found is None:
        found = filter_rules.rules_for(session, user)
        request.state.filter_rules = found
    return found


def filtered(
    session: Session, request: Request, user: User | None, page: Page, context: str
) -> Page:
    """`page` without the posts a hide filter catches, the warned ones marked (Page.warned)."""
    if user is None or not user.has_filters:
        return page
    return filter_rules.apply(page, rules(session, request, user), context)


def filtered_thread(
    session: Session, request: Request, user: User | None, thread: Thread
) -> Thread:
    """A thread page in the `thread` context; the post itself is collapsed, never left out."""
    if user is None or not user.has_filters:
        return thread
    found = rules(session, request, user)
    return replace(
        thread,
        post=filter_rules.apply(thread.post, found, "thread", drop=False),
        ancestors=filter_rules.apply(thread.ancestors, found, "thread"),
        replies=filter_rules.apply(thread.replies, found, "thread"),
    )
