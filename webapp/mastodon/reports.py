"""POST /api/v1/reports: report an account, optionally some of its statuses."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from webapp import crud
from webapp.crud import moderation, statuses
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params, id_list, text_param
from webapp.mastodon.deps import user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import base_url
from webapp.models import User

router = APIRouter(route_class=MastodonRoute)
WriteReports = Annotated[User, Depends(user_with_scope("write:reports"))]
MAX_STATUSES = 20


@router.post("/api/v1/reports")
def report(
    request: Request, session: SessionDep, me: WriteReports, values: Params
) -> dict[str, Any]:
    """Each reported status becomes a report row of its own in the admins' queue (so each
    shows its post); the answer describes them together, as Mastodon's Report does."""
    account_ids = id_list(values, "account_id", most=MAX_STATUSES)
    if len(account_ids) != 1:
        raise MastodonError(422, "Validation failed: account_id is required")
    target = crud.get_user(session, account_ids[0])
    status_ids = id_list(values, "status_ids", most=MAX_STATUSES)
    posts: list[int | None] = [*status_ids] or [None]
    try:
        rows = [
            moderation.create_report(
                session,
                reporter_id=me.id,
                target_id=target.id,
                tweet_id=post,
                category=text_param(values, "category") or "other",
                comment=text_param(values, "comment") or "",
            )
            for post in posts
        ]
    except moderation.BadReport as error:
        raise MastodonError(422, f"Validation failed: {error.message}") from error
    stats = statuses.account_stats(session, [target.id])[target.id]
    return {
        "id": str(rows[0].id),
        "action_taken": False,
        "action_taken_at": None,
        "category": rows[0].category,
        "comment": rows[0].comment,
        "forwarded": False,
        "created_at": serializers.rfc3339(rows[0].created_at),
        "status_ids": [str(i) for i in status_ids] or None,
        "rule_ids": None,
        "target_account": serializers.account(target, stats, base_url(request)),
    }
