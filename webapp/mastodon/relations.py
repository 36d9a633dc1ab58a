"""Relationship entities for a list of accounts: four statements for any number of them
(follows, blocks and mutes in one; follow requests either way; endorsements)."""

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from webapp.crud import blocks, featured, follow_requests
from webapp.mastodon import serializers


def relationships(
    session: Session, *, user_id: int, other_ids: Iterable[int]
) -> list[dict[str, Any]]:
    ids = list(dict.fromkeys(other_ids))
    follows = blocks.relations(session, user_id=user_id, other_ids=ids)
    asked = follow_requests.requested_ids(session, follower_id=user_id, user_ids=ids)
    asking = follow_requests.requesters_of(session, user_id=user_id, other_ids=ids)
    endorsed = featured.endorsed_ids(session, user_id=user_id, other_ids=ids)
    return [
        serializers.relationship(
            other,
            **asdict(found),
            requested=other in asked,
            requested_by=other in asking,
            endorsed=other in endorsed,
        )
        for other, found in ((i, follows[i]) for i in ids if i in follows)
    ]


def relationship(session: Session, *, user_id: int, other_id: int) -> dict[str, Any]:
    return relationships(session, user_id=user_id, other_ids=[other_id])[0]
