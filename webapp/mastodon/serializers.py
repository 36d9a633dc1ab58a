"""Status, Account and Relationship JSON with the fields Mastodon documents.

Ids are strings, times RFC 3339, `content` is HTML built by webapp.text.linkify (escaped
first, so it is safe). What Chirp does not have is an empty list, false, or null.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from webapp.crud.edits import Version
from webapp.crud.filter_rules import NO_RULES, FilterInfo, Match, Rules
from webapp.crud.notification_groups import group_key
from webapp.crud.polls import PollView
from webapp.crud.statuses import AccountStats
from webapp.mastodon.media import absolute, attachment
from webapp.media import storage
from webapp.models import Filter, Marker, Notification, Tweet, User
from webapp.text import hashtags, linkify

AVATAR_PATH = "static/mastodon/avatar.png"


@dataclass
class Context:
    """What a page of statuses needs, loaded in a few queries up front."""

    base_url: str
    users: dict[int, User] = field(default_factory=dict)
    stats: dict[int, AccountStats] = field(default_factory=dict)
    liked: set[int] = field(default_factory=set)
    # Conversations (issue 13): reposted originals by id, the viewer's reposts, mentions.
    originals: dict[int, Tweet] = field(default_factory=dict)
    reposted: set[int] = field(default_factory=set)
    mentions: dict[int, list[User]] = field(default_factory=dict)
    # Polls (issue 19): the page's polls by post id, and the viewer's choices (None: nobody
    # signed in, so no `voted` / `own_votes`).
    polls: dict[int, PollView] = field(default_factory=dict)
    votes: dict[int, tuple[int, ...]] | None = None
    # Keyword filters (issue 17): the viewer's rules and where the statuses are shown
    # (home, public, thread, account, notifications; None: a single status, every context).
    rules: Rules = NO_RULES
    filter_context: str | None = None
    # Extras: the viewer (whose pins show as pinned), their bookmarks, the posting apps.
    viewer_id: int | None = None
    bookmarked: set[int] = field(default_factory=set)
    applications: dict[int, tuple[str, str | None]] = field(default_factory=dict)


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite returns naive datetimes; they are UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def html_paragraph(text: str, mentions: set[str] | None = None, base_url: str = "") -> str:
    """Links inside are absolute under `base_url` (PUBLIC_URL): clients open them as is."""
    return f"<p>{linkify(text, mentions, base_url)}</p>" if text else ""


def account(user: User, stats: AccountStats, base_url: str) -> dict[str, Any]:
    avatar = _picture(user.avatar_key, base_url) or base_url + AVATAR_PATH
    header = _picture(user.header_key, base_url) or ""
    return {
        "id": str(user.id),
        "username": user.username,
        "acct": user.username,
        "display_name": user.display_name,
        "locked": user.locked,
        "bot": user.bot,
        "discoverable": True,
        "group": False,
        "created_at": rfc3339(user.created_at),
        "note": html_paragraph(user.bio, base_url=base_url),
        "url": f"{base_url}@{user.username}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": stats.followers,
        "following_count": stats.following,
        "statuses_count": stats.statuses,
        # Mastodon gives the day of the last post, not the moment.
        "last_status_at": stats.last_status_at.date().isoformat() if stats.last_status_at else None,
        "emojis": [],
        "fields": [
            {"name": f["name"], "value": linkify(f["value"], base=base_url), "verified_at": None}
            for f in user.profile_fields or ()
        ],
    }


def _picture(key: str | None, base_url: str) -> str | None:
    return absolute(storage.storage().url(key), base_url) if key else None


def credential_account(
    user: User, stats: AccountStats, base_url: str, follow_requests_count: int = 0
) -> dict[str, Any]:
    fields = [{"name": f["name"], "value": f["value"]} for f in user.profile_fields or ()]
    source = {"note": user.bio, "fields": fields, "privacy": "public", "sensitive": False}
    source |= {"language": None, "follow_requests_count": follow_requests_count}
    return account(user, stats, base_url) | {"source": source}


def _mention(user: User, base_url: str) -> dict[str, str]:
    url = f"{base_url}@{user.username}"
    return {"id": str(user.id), "username": user.username, "url": url, "acct": user.username}


def _tag(name: str, base_url: str) -> dict[str, str]:
    return {"name": name, "url": f"{base_url}tags/{name}"}


def status(tweet: Tweet, context: Context) -> dict[str, Any]:
    """A status; a repost is Mastodon's reblog: a wrapper around the original."""
    original = context.originals.get(tweet.repost_of_id) if tweet.repost_of_id else None
    body = _status(tweet, context) | {"filtered": _filtered(tweet, context, original)}
    if original is None:
        return body
    inner = _status(original, context) | {"filtered": _filtered(original, context)}
    return body | {
        "reblog": inner,
        "content": "",
        "reblogs_count": inner["reblogs_count"],
        "favourites_count": inner["favourites_count"],
        "replies_count": inner["replies_count"],
        "favourited": inner["favourited"],
        "reblogged": inner["reblogged"],
        "bookmarked": inner["bookmarked"],
    }


def _status(tweet: Tweet, context: Context) -> dict[str, Any]:
    owner = context.users[tweet.owner_id]
    stats = context.stats.get(tweet.owner_id, AccountStats())
    url = f"{context.base_url}@{owner.username}/{tweet.id}"
    mentioned = context.mentions.get(tweet.id, [])
    reply_to = tweet.in_reply_to_user_id
    return {
        "id": str(tweet.id),
        "uri": url,
        "url": url,
        "created_at": rfc3339(tweet.created_at),
        "edited_at": rfc3339(tweet.edited_at) if tweet.edited_at else None,
        "account": account(owner, stats, context.base_url),
        "content": html_paragraph(tweet.text, {u.username for u in mentioned}, context.base_url),
        "visibility": tweet.visibility,
        "sensitive": tweet.sensitive,
        "spoiler_text": tweet.spoiler_text,
        "language": tweet.language,
        "in_reply_to_id": str(tweet.in_reply_to_id) if tweet.in_reply_to_id else None,
        "in_reply_to_account_id": str(reply_to) if reply_to else None,
        "reblog": None,
        "application": _application(context.applications.get(tweet.id)),
        "media_attachments": [attachment(m, context.base_url) for m in tweet.media or ()],
        "mentions": [_mention(user, context.base_url) for user in mentioned],
        "tags": [_tag(name, context.base_url) for name in sorted(hashtags(tweet.text))],
        "emojis": [],
        "poll": _poll_of(tweet, context),
        "card": None,
        "reblogs_count": tweet.repost_count,
        "favourites_count": tweet.like_count,
        "replies_count": tweet.reply_count,
        "favourited": tweet.id in context.liked,
        "reblogged": tweet.id in context.reposted,
        "muted": False,
        "bookmarked": tweet.id in context.bookmarked,
        "pinned": context.viewer_id == tweet.owner_id and tweet.pinned_at is not None,
    }


def _poll_of(tweet: Tweet, context: Context) -> dict[str, Any] | None:
    view = context.polls.get(tweet.id)
    if view is None:
        return None
    mine = None if context.votes is None else context.votes.get(tweet.id, ())
    return poll(view, mine, own=context.viewer_id == tweet.owner_id)


def poll(view: PollView, mine: tuple[int, ...] | None, *, own: bool = False) -> dict[str, Any]:
    """Mastodon's Poll; `mine` is None without a signed-in viewer. The author has `voted`
    (as on Mastodon: apps show the author the results, not the choices). With hide_totals,
    the options' counts are null until the poll ends."""
    expired = view.expired()
    hidden = view.hide_totals and not expired
    body: dict[str, Any] = {
        "id": str(view.id),
        "expires_at": rfc3339(view.expires_at),
        "expired": expired,
        "multiple": view.multiple,
        "votes_count": view.votes_count,
        "voters_count": view.voters_count,
        "options": [
            {"title": title, "votes_count": None if hidden else votes}
            for title, votes in view.options
        ],
        "emojis": [],
    }
    if mine is not None:
        body |= {"voted": own or bool(mine), "own_votes": list(mine)}
    return body


def status_edits(
    tweet: Tweet, versions: Iterable[Version], context: Context
) -> list[dict[str, Any]]:
    """A status's history (Mastodon's StatusEdit per version, oldest first): each version's
    own text, content warning and sensitive flag, its links as absolute as the status's own.
    The images and poll are the post's: an edit changes neither."""
    current = _status(tweet, context)
    mentioned = {user.username for user in context.mentions.get(tweet.id, [])}
    poll = current["poll"] and {
        "options": [{"title": o["title"]} for o in current["poll"]["options"]]
    }
    shared = {
        "account": current["account"],
        "poll": poll,
        "media_attachments": current["media_attachments"],
        "emojis": [],
    }
    return [
        {
            "content": html_paragraph(version.text, mentioned, context.base_url),
            "spoiler_text": version.spoiler_text,
            "sensitive": version.sensitive,
            "created_at": rfc3339(version.created_at),
        }
        | shared
        for version in versions
    ]


def _filtered(
    tweet: Tweet, context: Context, original: Tweet | None = None
) -> list[dict[str, Any]]:
    matches = context.rules.matches(tweet, context.filter_context, original)
    return [filter_result(match) for match in matches]


def filter_result(match: Match) -> dict[str, Any]:
    """Mastodon's FilterResult: its filter leaves keywords and statuses out, as Mastodon does."""
    return {
        "filter": filter_head(match.filter),
        "keyword_matches": list(match.keyword_matches) or None,
        "status_matches": [str(i) for i in match.status_matches] or None,
    }


def filter_head(row: Filter | FilterInfo) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "title": row.title,
        "context": list(row.context),
        "expires_at": rfc3339(row.expires_at) if row.expires_at else None,
        "filter_action": row.filter_action,
    }


def _application(app: tuple[str, str | None] | None) -> dict[str, Any] | None:
    return {"name": app[0], "website": app[1]} if app else None


def relationship(
    target_id: int,
    *,
    following: bool,
    followed_by: bool,
    blocking: bool = False,
    blocked_by: bool = False,
    muting: bool = False,
    muting_notifications: bool = False,
    requested: bool = False,
    requested_by: bool = False,
    endorsed: bool = False,
) -> dict[str, Any]:
    return {
        "id": str(target_id),
        "following": following,
        "followed_by": followed_by,
        "showing_reblogs": following,
        "notifying": False,
        "languages": None,
        "blocking": blocking,
        "blocked_by": blocked_by,
        "muting": muting,
        "muting_notifications": muting_notifications,
        "requested": requested,
        "requested_by": requested_by,
        "domain_blocking": False,
        "endorsed": endorsed,
        "note": "",
    }


# --- Notifications (issue 14) ---


def notification(row: Notification, context: Context, tweet: Tweet | None) -> dict[str, Any]:
    actor = context.users[row.actor_id]
    stats = context.stats.get(row.actor_id, AccountStats())
    return {
        "id": str(row.id),
        "type": row.kind,
        "created_at": rfc3339(row.created_at),
        "group_key": group_key(row),  # the key /api/v2/notifications groups it under
        "account": account(actor, stats, context.base_url),
        "status": status(tweet, context) if tweet is not None else None,
    }


def marker(row: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(row.last_read_id),
        "version": row.version,
        "updated_at": rfc3339(row.updated_at),
    }
