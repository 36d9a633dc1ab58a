"""Files follow their rows: stored on upload, deleted with their post or a replaced avatar,
and nothing left behind by a refused or failed upload; on local disk and on S3 (moto)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import images
from tests.factories import PASSWORD, make_user
from tests.media_helpers import BUCKET, bucket_keys, stored_files
from webapp import cli, crud
from webapp.crud import lifecycle, media, moderation, profiles
from webapp.media import storage
from webapp.media.errors import MediaError
from webapp.models import MediaAttachment

pytest_plugins = ["tests.s3_fixtures"]  # the s3_server and s3_bucket fixtures


def media_rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(MediaAttachment)) or 0


def test_a_post_with_images_stores_two_files_each_and_deleting_it_deletes_them(session: Session):
    ada = make_user(session)
    before = stored_files()
    uploads = [media.Upload(images.jpeg(), "an orange"), media.Upload(images.png(), "teal")]
    tweet = media.post_uploads(session, owner_id=ada.id, text="two pictures", uploads=uploads)
    assert tweet.media is not None and [m["description"] for m in tweet.media] == [
        "an orange",
        "teal",
    ]
    added = stored_files() - before
    assert len(added) == 4 and media_rows(session) == 2

    crud.delete_tweet(session, tweet_id=tweet.id, user_id=ada.id)
    assert stored_files() == before and media_rows(session) == 0


@pytest.mark.parametrize("bad", [images.bomb(), b"not an image", images.truncated_png()])
def test_one_bad_image_refuses_the_post_and_stores_nothing(session: Session, bad: bytes):
    ada = make_user(session)
    before = stored_files()
    uploads = [media.Upload(images.jpeg()), media.Upload(bad)]
    with pytest.raises(MediaError):
        media.post_uploads(session, owner_id=ada.id, text="oops", uploads=uploads)
    assert stored_files() == before and media_rows(session) == 0
    assert crud.list_user_tweets(session, ada.id) == []


def test_a_storage_failure_halfway_removes_what_was_written(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    ada = make_user(session)
    before = stored_files()
    real_put = storage.LocalStorage.put
    calls = []

    def flaky_put(self: storage.LocalStorage, key: str, data: bytes, content_type: str) -> None:
        calls.append(key)
        if len(calls) == 3:
            raise OSError("disk full")
        real_put(self, key, data, content_type)

    monkeypatch.setattr(storage.LocalStorage, "put", flaky_put)
    uploads = [media.Upload(images.jpeg()), media.Upload(images.png())]
    with pytest.raises(media.StorageFailed):
        media.post_uploads(session, owner_id=ada.id, text="x", uploads=uploads)
    assert len(calls) == 3 and stored_files() == before and media_rows(session) == 0


def test_replacing_an_avatar_deletes_the_old_file(session: Session):
    ada = make_user(session)
    changes = profiles.ProfileChanges(avatar=images.jpeg((600, 600)))
    first = profiles.save_profile(session, user_id=ada.id, changes=changes).avatar_key
    assert first in stored_files()
    second = profiles.save_profile(session, user_id=ada.id, changes=changes).avatar_key
    assert second in stored_files() and first not in stored_files()


def test_on_s3_files_are_uploaded_served_and_deleted(session: Session, s3_bucket: object):
    ada = make_user(session)
    on_disk = stored_files()
    uploads = [media.Upload(images.photo_with_gps(), "sky")]
    tweet = media.post_uploads(session, owner_id=ada.id, text="from s3", uploads=uploads)
    assert tweet.media is not None
    item = tweet.media[0]
    assert bucket_keys(s3_bucket) == {item["original_key"], item["preview_key"]}
    assert stored_files() == on_disk  # nothing went to local disk
    assert storage.storage().url(item["original_key"]).startswith(s3_bucket_url(s3_bucket))

    served = s3_bucket.get_object(Bucket=BUCKET, Key=item["original_key"])  # type: ignore[attr-defined]
    assert served["ContentType"] == "image/jpeg" and "immutable" in served["CacheControl"]
    assert b"SpyCam" not in served["Body"].read()  # the EXIF never reached the bucket

    crud.delete_tweet(session, tweet_id=tweet.id, user_id=ada.id)
    assert bucket_keys(s3_bucket) == set()


def test_on_s3_a_refused_upload_and_a_replaced_avatar_leave_no_object(
    session: Session, s3_bucket: object
):
    ada = make_user(session)
    with pytest.raises(MediaError):
        media.upload(session, owner_id=ada.id, data=images.truncated_png())
    assert bucket_keys(s3_bucket) == set()
    for _ in range(2):
        changes = profiles.ProfileChanges(avatar=images.png(), header=images.jpeg())
        user = profiles.save_profile(session, user_id=ada.id, changes=changes)
    assert bucket_keys(s3_bucket) == {user.avatar_key, user.header_key}


def s3_bucket_url(client: object) -> str:
    return f"{client.meta.endpoint_url}/{BUCKET}/"  # type: ignore[attr-defined]


def test_the_sweep_deletes_old_unattached_uploads_and_keeps_posted_ones(session: Session):
    ada = make_user(session)
    before = stored_files()
    posted = media.post_uploads(
        session, owner_id=ada.id, text="kept", uploads=[media.Upload(images.png())]
    )
    fresh = media.upload(session, owner_id=ada.id, data=images.jpeg())
    old = media.upload(session, owner_id=ada.id, data=images.jpeg())
    old.created_at = datetime.now(UTC) - timedelta(days=2)
    session.commit()
    old_files, old_id, fresh_id = {old.original_key, old.preview_key}, old.id, fresh.id

    assert cli.main(["sweep-media", "--hours", "24"]) == 0
    session.expire_all()
    assert session.get(MediaAttachment, old_id) is None
    assert session.get(MediaAttachment, fresh_id) is not None and posted.media
    assert not old_files & stored_files() and len(stored_files() - before) == 4


def test_deleting_an_account_deletes_its_pictures_and_images(session: Session):
    ada = make_user(session)
    before = stored_files()
    changes = profiles.ProfileChanges(avatar=images.png(), header=images.jpeg())
    profiles.save_profile(session, user_id=ada.id, changes=changes)
    media.post_uploads(session, owner_id=ada.id, text="x", uploads=[media.Upload(images.png())])
    media.upload(session, owner_id=ada.id, data=images.jpeg())  # never posted
    assert len(stored_files() - before) == 2 + 2 + 2
    lifecycle.delete_account(session, user_id=ada.id, password=PASSWORD)
    assert stored_files() == before


def test_an_admin_deleting_a_post_deletes_its_images(session: Session):
    admin, ada = make_user(session), make_user(session)
    before = stored_files()
    tweet = media.post_uploads(
        session, owner_id=ada.id, text="x", uploads=[media.Upload(images.png())]
    )
    moderation.delete_post(session, admin=admin, tweet_id=tweet.id)
    assert stored_files() == before
