"""Fixtures for the S3 path: moto's S3 server on a loopback port and a bucket the app uses.
Load with `pytest_plugins = ["tests.s3_fixtures"]`."""

from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.media_helpers import BUCKET, free_port
from webapp.config import settings
from webapp.media import storage


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 in server mode on a free loopback port: real HTTP, as boto3 talks to MinIO."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The app switched to a fresh bucket on the moto server; yields a boto3 client for it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    monkeypatch.setattr(settings, "media_s3_bucket", BUCKET)
    monkeypatch.setattr(settings, "media_s3_endpoint_url", s3_server)
    monkeypatch.setattr(settings, "media_public_url", f"{s3_server}/{BUCKET}")
    storage.storage.cache_clear()
    yield client
    storage.storage.cache_clear()
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
