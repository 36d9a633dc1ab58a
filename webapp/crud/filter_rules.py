"""Which posts a person's filters catch, decided after a page's posts are loaded.

`rules_for(session, user)` loads the active filters in one statement, and none at all for
someone whose users.has_filters is false; each filter's keywords become one regular
expression, compiled once per request, as Mastodon builds them: case-insensitive, and for a
whole-word keyword word boundaries where the keyword starts or ends with a word character.
A post matches a filter when the text it shows (or an image description) matches, or when
its id (or the original's, for a repost) is one of the filter's statuses.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from webapp.crud.hydrate import Page, shown
from webapp.models import Filter, FilterKeyword, FilterStatus, Tweet, User, utcnow


@dataclass(frozen=True)
class FilterInfo:
    """What a FilterResult says of its filter (Mastodon leaves keywords and statuses out)."""

    id: int
    title: str
    context: tuple[str, ...]
    filter_action: str
    expires_at: datetime | None


@dataclass(frozen=True)
class Rule:
    filter: FilterInfo
    pattern: re.Pattern[str] | None
    status_ids: frozenset[int]


@dataclass(frozen=True)
class Match:
    """Mastodon's FilterResult: the filter, the text that matched, the statuses that did."""

    filter: FilterInfo
    keyword_matches: tuple[str, ...] = ()
    status_matches: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...] = ()

    def matches(
        self, tweet: Tweet, context: str | None = None, original: Tweet | None = None
    ) -> list[Match]:
        """The filters that catch this post in `context` (None: every context, as Mastodon
        does for a single status). A repost is judged by its `original`'s text."""
        if not self.rules:
            return []
        post = original or tweet
        text = searchable_text(post)
        ids = {tweet.id, post.id}
        found = []
        for rule in self.rules:
            if context is not None and context not in rule.filter.context:
                continue
            hit = rule.pattern.search(text) if rule.pattern else None
            statuses = tuple(sorted(ids & rule.status_ids))
            if hit or statuses:
                found.append(Match(rule.filter, (hit.group(0),) if hit else (), statuses))
        return found

    def hides(self, tweet: Tweet, context: str, original: Tweet | None = None) -> bool:
        found = self.matches(tweet, context, original)
        return any(m.filter.filter_action == "hide" for m in found)


NO_RULES = Rules()


def searchable_text(post: Tweet) -> str:
    descriptions = [str(item.get("description") or "") for item in post.media or ()]
    return "\n".join([post.text, *descriptions])


def keyword_pattern(keyword: str, whole_word: bool) -> str:
    """Mastodon's FilterKeyword#to_regex: \\b only where the keyword has a word character."""
    escaped = re.escape(keyword)
    if not whole_word:
        return escaped
    start = r"\b" if re.match(r"\w", keyword) else ""
    end = r"\b" if re.search(r"\w$", keyword) else ""
    return f"{start}{escaped}{end}"


def _statement(user_id: int, now: datetime) -> Select[Any]:
    """One UNION ALL: each filter with its keywords (or none), then its statuses."""
    active = (Filter.user_id == user_id, or_(Filter.expires_at.is_(None), Filter.expires_at > now))
    head = (Filter.id, Filter.title, Filter.context, Filter.filter_action, Filter.expires_at)
    words = (
        select(*head, FilterKeyword.keyword, FilterKeyword.whole_word, null().label("status_id"))
        .outerjoin(FilterKeyword, FilterKeyword.filter_id == Filter.id)
        .where(*active)
    )
    posts = (
        select(*head, null(), literal(False), FilterStatus.status_id)
        .join(FilterStatus, FilterStatus.filter_id == Filter.id)
        .where(*active)
    )
    return select(union_all(words, posts).subquery())


def rules_for(session: Session, user: User | None) -> Rules:
    """The viewer's active filters; no statement for a visitor or a person with none."""
    if user is None or not user.has_filters:
        return NO_RULES
    return build(session.execute(_statement(user.id, utcnow())).all())


def build(rows: Iterable[Any]) -> Rules:
    """Rules from the statement's rows: (filter columns..., keyword, whole_word, status_id)."""
    infos: dict[int, FilterInfo] = {}
    words: dict[int, list[str]] = {}
    statuses: dict[int, set[int]] = {}
    for key, title, context, action, expires, keyword, whole, status_id in rows:
        infos[key] = FilterInfo(key, title, tuple(context or ()), action, expires)
        if keyword:
            words.setdefault(key, []).append(keyword_pattern(keyword, bool(whole)))
        if status_id is not None:
            statuses.setdefault(key, set()).add(status_id)
    rules = tuple(
        Rule(
            info,
            re.compile("|".join(words[key]), re.IGNORECASE) if key in words else None,
            frozenset(statuses.get(key, ())),
        )
        for key, info in sorted(infos.items())
    )
    return Rules(rules)


def apply(page: Page, rules: Rules, context: str, *, drop: bool = True) -> Page:
    """The page without the posts a `hide` filter catches, and with the titles of the
    `warn` filters for the others (Page.warned, shown post id -> titles). With drop=False
    (the post a thread page is about: you opened it) a hidden post is only collapsed."""
    if not rules.rules:
        return page
    kept, warned = [], {}
    for tweet in page.tweets:
        found = rules.matches(tweet, context, tweet.repost_of)  # cards load the original
        if drop and any(m.filter.filter_action == "hide" for m in found):
            continue
        kept.append(tweet)
        if found:
            warned[shown(tweet).id] = ", ".join(m.filter.title for m in found)
    return replace(page, tweets=kept, warned=warned)
