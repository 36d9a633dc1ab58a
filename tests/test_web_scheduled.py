"""Scheduled posts on the web pages: the composer's "Schedule for later" field and the
/scheduled page, without JavaScript (plain forms, 303 and a flash note; times in UTC unless
the form says the person's offset) and with htmx."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_user
from tests.web import HTMX, csrf_token, log_in, post_form, soup
from webapp import crud
from webapp.crud import scheduled
from webapp.models import MediaAttachment, ScheduledStatus, Tweet, User


def _local(moment: datetime) -> str:
    """As a datetime-local field sends it: no zone, minutes only."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def _in(**delta: float) -> datetime:
    return (datetime.now(UTC) + timedelta(**delta)).replace(second=0, microsecond=0)


def _rows(session: Session, user: User) -> list[ScheduledStatus]:
    session.expire_all()
    query = select(ScheduledStatus).where(ScheduledStatus.user_id == user.id)
    return list(session.scalars(query.order_by(ScheduledStatus.scheduled_at)))


def _tweets(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(Tweet.text)))


def test_the_composer_schedules_a_post_without_javascript_in_utc(
    client: TestClient, session: Session
):
    ada = make_user(session)
    log_in(client, ada)
    home = soup(client.get("/"))
    field = home.find("input", attrs={"name": "scheduled_for"})
    assert field["type"] == "datetime-local"
    assert home.find("input", attrs={"name": "tz_offset"})["value"] == "0"
    assert "Times are in UTC." in home.find(id="compose-schedule-zone").text
    at = _in(days=1)
    data = {"text": "good morning, later", "scheduled_for": _local(at)}
    response = post_form(client, "/t", data)
    assert response.status_code == 303 and response.headers["location"] == "/scheduled"
    assert _tweets(session) == []  # not posted yet
    [row] = _rows(session, ada)
    assert scheduled.aware(row.scheduled_at) == at
    page = client.get("/scheduled")
    assert "Scheduled for" in page.text and "(UTC)" in page.text
    item = soup(page).find(id=f"scheduled-{row.id}")
    assert "good morning, later" in item.text
    assert item.find("time")["datetime"] == at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_time_zone_offset_from_the_browser_is_the_persons_local_time(
    client: TestClient, session: Session
):
    ada = make_user(session)
    log_in(client, ada)
    at = _in(days=2)
    paris = at.astimezone(UTC) + timedelta(hours=1)  # what a UTC+01:00 clock shows then
    data = {"text": "from Paris", "scheduled_for": _local(paris), "tz_offset": "60"}
    assert post_form(client, "/t", data).status_code == 303
    [row] = _rows(session, ada)
    assert scheduled.aware(row.scheduled_at) == at
    assert "(UTC+01:00)" in client.get("/scheduled").text  # the flash says it as typed


def test_a_past_a_too_soon_and_a_bad_time_are_refused_in_plain_words_keeping_the_text(
    client: TestClient, session: Session
):
    ada = make_user(session)
    log_in(client, ada)
    cases = [
        (_local(_in(hours=-1)), "already passed"),
        (_local(_in(minutes=2)), "less than 5 minutes"),
        ("tomorrow-ish", "isn't a date and time"),
        ("0001-01-01T00:00+00:30", "isn't a date and time"),
        ("9999-12-31T23:59", "within 10 years"),
    ]
    for typed, says in cases:
        data = {"text": "keep me", "scheduled_for": typed}
        response = post_form(client, "/t", data)
        assert response.status_code == 303 and response.headers["location"] == "/"
        box = soup(client.get("/")).find(id="compose")
        assert box.find("textarea").text == "keep me"
        assert box.find("input", attrs={"name": "scheduled_for"})["value"] == typed
        assert says in box.find(id="compose-schedule-error").text
    assert _rows(session, ada) == [] and _tweets(session) == []


def test_with_htmx_the_box_comes_back_saying_when_or_what_is_wrong(
    client: TestClient, session: Session
):
    ada = make_user(session)
    log_in(client, ada)
    headers = HTMX | {"X-CSRF-Token": csrf_token(client)}
    at = _in(hours=3)
    data = {"text": "htmx later", "scheduled_for": _local(at)}
    done = client.post("/t", data=data, headers=headers)
    assert done.status_code == 200
    box = soup(done).find(id="compose")
    assert box.find("textarea").text == ""  # a fresh box
    assert "Scheduled for" in box.find(class_="compose-notice").text
    refused = client.post("/t", data=data | {"scheduled_for": "soon"}, headers=headers)
    assert refused.status_code == 422
    assert soup(refused).find(id="compose-schedule-error") is not None
    assert len(_rows(session, ada)) == 1


def test_images_scheduled_from_the_composer_are_posted_with_the_post(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, ada)
    at = _in(hours=1)
    data = {"csrf_token": csrf_token(client), "text": "a picture later", "alt": "a teal square"}
    data |= {"scheduled_for": _local(at)}
    files = [("image", ("sq.png", images.png(), "image/png"))]
    response = client.post("/t", data=data, files=files, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert "1 image" in client.get("/scheduled").text
    [made] = scheduled.publish_due(session, now=at + timedelta(minutes=1))
    session.expire_all()
    [media] = session.scalars(select(MediaAttachment).where(MediaAttachment.tweet_id == made))
    assert media.description == "a teal square"
    client.cookies.clear()
    log_in(client, bob)
    card = soup(client.get("/")).find(id=f"tweet-{made}")
    assert "a picture later" in card.text and card.find("img", alt="a teal square")


def test_the_scheduled_page_changes_the_time_and_cancels(client: TestClient, session: Session):
    ada = make_user(session)
    log_in(client, ada)
    at = _in(days=1)
    for text in ("first", "second"):
        post_form(client, "/t", {"text": text, "scheduled_for": _local(at)})
    first, second = _rows(session, ada)

    later = at + timedelta(days=1)
    moved = post_form(client, f"/scheduled/{first.id}/time", {"scheduled_for": _local(later)})
    assert moved.status_code == 303
    assert scheduled.aware(_rows(session, ada)[-1].scheduled_at) == later
    assert "Moved to" in client.get("/scheduled").text

    refused = post_form(
        client, f"/scheduled/{second.id}/time", {"scheduled_for": "2001-01-01T10:00"}
    )
    assert refused.status_code == 422
    item = soup(refused).find(id=f"scheduled-{second.id}")
    assert item.find("input", attrs={"name": "scheduled_for"})["value"] == "2001-01-01T10:00"
    assert "already passed" in item.find(class_="field-error").text

    assert post_form(client, f"/scheduled/{second.id}/delete").status_code == 303
    assert [row.id for row in _rows(session, ada)] == [first.id]
    assert "won't be published" in soup(client.get("/scheduled")).find(id="flash").text


def test_nobody_else_sees_or_touches_your_scheduled_posts(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    row = scheduled.schedule(
        session,
        owner_id=ada.id,
        draft=scheduled.Draft(text="ada's secret"),
        scheduled_at=_in(days=1),
    )
    assert client.get("/scheduled", follow_redirects=False).status_code == 303  # log in first
    log_in(client, bob)
    assert "ada's secret" not in client.get("/scheduled").text
    later = {"scheduled_for": _local(_in(days=2))}
    assert post_form(client, f"/scheduled/{row.id}/time", later).status_code == 404
    assert post_form(client, f"/scheduled/{row.id}/delete").status_code == 404
    assert len(_rows(session, ada)) == 1
    assert 'href="/scheduled"' in client.get("/settings").text
