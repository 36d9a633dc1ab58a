"""Relationship entities for a list of accounts: four statements for any number of them."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from webapp.crud import discovery, featured, follow_requests
from webapp.mastodon import serializers


def relationships(
    session: Session, *, user_id: int, other_ids: Iterable[int]
) -> list[dict[str, Any]]:
    ids = list(dict.fromkeys(other_ids))
    follows = discovery.relationships(session, user_id=user_id, other_ids=ids)
    asked = follow_requests.requested_ids(session, follower_id=user_id, user_ids=ids)
    asking = follow_requests.requesters_of(session, user_id=user_id, other_ids=ids)
    endorsed = featured.endorsed_ids(session, user_id=user_id, other_ids=ids)
    return [
        serializers.relationship(
            other,
            following=found.following,
            followed_by=found.followed_by,
            requested=other in asked,
            requested_by=other in asking,
            endorsed=other in endorsed,
        )
        for other, found in follows.items()
    ]


def relationship(session: Session, *, user_id: int, other_id: int) -> dict[str, Any]:
    return relationships(session, user_id=user_id, other_ids=[other_id])[0]
