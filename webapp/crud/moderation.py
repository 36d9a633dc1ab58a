"""Reports and moderation: people report posts or accounts; admins resolve reports, approve
sign-ups, suspend and unsuspend accounts and delete posts. Every admin action is written to
the audit log (ModerationAction) in the same transaction as the action itself."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from webapp.crud import conversations
from webapp.crud.errors import DomainError, Forbidden, NotFound
from webapp.crud.tweets import get_tweet
from webapp.crud.users import get_user, get_user_by_username
from webapp.models import AuthToken, ModerationAction, Report, Tweet, User, utcnow

CATEGORIES = ("spam", "legal", "violation", "other")  # Mastodon's report categories
COMMENT_MAX = 1000
LOG_PAGE = 50


class BadReport(DomainError):
    message = "Choose what is wrong: spam, illegal content, a broken rule, or something else."


@dataclass(frozen=True)
class ReportRow:
    report: Report
    reporter: str
    target: str
    tweet_text: str | None


def create_report(
    session: Session,
    *,
    reporter_id: int,
    target_id: int,
    tweet_id: int | None = None,
    category: str = "other",
    comment: str = "",
) -> Report:
    if category not in CATEGORIES:
        raise BadReport()
    if len(comment) > COMMENT_MAX:
        raise BadReport(f"Keep the comment under {COMMENT_MAX} characters.")
    if reporter_id == target_id:
        raise BadReport("You can't report yourself.")
    get_user(session, target_id)
    if tweet_id is not None and get_tweet(session, tweet_id, reporter_id).owner_id != target_id:
        raise BadReport("That post is not by the person reported.")
    report = Report(
        reporter_id=reporter_id,
        target_id=target_id,
        tweet_id=tweet_id,
        category=category,
        comment=comment.strip(),
    )
    session.add(report)
    session.commit()
    return report


def open_reports(session: Session, *, limit: int = LOG_PAGE) -> list[ReportRow]:
    """Unresolved reports, oldest first, with names and the post's text: one statement."""
    reporter, target = aliased(User), aliased(User)
    query = (
        select(Report, reporter.username, target.username, Tweet.text)
        .join(reporter, reporter.id == Report.reporter_id)
        .join(target, target.id == Report.target_id)
        .outerjoin(Tweet, Tweet.id == Report.tweet_id)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.id)
        .limit(limit)
    )
    return [ReportRow(*row) for row in session.execute(query)]


def require_admin(user: User | None) -> User:
    """Admin pages are "not found" to everyone else: they don't confirm they exist."""
    if user is None or not user.is_admin:
        raise NotFound("There is no page at this address.")
    return user


def _log(session: Session, admin: User, action: str, target: str, detail: str = "") -> None:
    session.add(
        ModerationAction(
            admin_id=admin.id,
            admin_username=admin.username,
            action=action,
            target_username=target,
            detail=detail[:300],
        )
    )


def resolve_report(session: Session, *, admin: User, report_id: int) -> None:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("Report not found")
    report.resolved_at, report.resolved_by_id = utcnow(), admin.id
    _log(session, admin, "resolve_report", get_user(session, report.target_id).username)
    session.commit()


def suspend(session: Session, *, admin: User, user_id: int, reason: str = "") -> None:
    """The account can no longer sign in, every session and token ends, its posts are hidden."""
    user = get_user(session, user_id)
    if user.id == admin.id:
        raise Forbidden("You can't suspend yourself.")
    user.suspended_at = utcnow()
    session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    _log(session, admin, "suspend", user.username, reason)
    session.commit()


def unsuspend(session: Session, *, admin: User, user_id: int) -> None:
    user = get_user(session, user_id)
    user.suspended_at = None
    _log(session, admin, "unsuspend", user.username)
    session.commit()


def approve(session: Session, *, admin: User, user_id: int) -> None:
    user = get_user(session, user_id)
    user.pending = False
    _log(session, admin, "approve", user.username)
    session.commit()


def reject(session: Session, *, admin: User, user_id: int) -> None:
    """A pending sign-up turned down: the account is removed (its handle is free again)."""
    user = get_user(session, user_id)
    if not user.pending:
        raise Forbidden("Only a sign-up still waiting for approval can be rejected.")
    _log(session, admin, "reject", user.username)
    from webapp.crud import media  # here: crud.media imports webapp.media, which imports crud

    files = media.keys_of_user(session, user.id)  # a pending account may have set a picture
    session.execute(delete(User).where(User.id == user.id))
    session.commit()
    media.delete_files(files)


def delete_post(session: Session, *, admin: User, tweet_id: int) -> None:
    tweet = session.get(Tweet, tweet_id)  # any post, whoever may see it
    if tweet is None:
        raise NotFound("Tweet not found")
    author = get_user(session, tweet.owner_id)
    _log(session, admin, "delete_post", author.username, tweet.text[:120])
    conversations.remove(session, tweet)  # commits the log entry with it


def pending_accounts(session: Session, *, limit: int = LOG_PAGE) -> Sequence[User]:
    query = select(User).where(User.pending).order_by(User.id).limit(limit)
    return session.scalars(query).all()


def suspended_accounts(session: Session, *, limit: int = LOG_PAGE) -> Sequence[User]:
    query = select(User).where(User.suspended_at.is_not(None)).order_by(User.id).limit(limit)
    return session.scalars(query).all()


def audit_log(
    session: Session, *, before: int | None = None, limit: int = LOG_PAGE
) -> Sequence[ModerationAction]:
    query = select(ModerationAction).order_by(ModerationAction.id.desc()).limit(limit)
    if before is not None:
        query = query.where(ModerationAction.id < before)
    return session.scalars(query).all()


def grant_admin(session: Session, *, username: str) -> User:
    user = get_user_by_username(session, username)
    user.is_admin = True
    session.commit()
    return user
