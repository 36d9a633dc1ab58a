"""Where processed images live: a local folder (served at /media/) or an S3-compatible bucket.

Keys are random and never reused, so a file at a key never changes: browsers and CDNs may
keep it for a year. Writes go to a temporary name first (local) or are single PUTs (S3), so
a reader never sees half a file.
"""

import os
import secrets
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from webapp.config import settings

CACHE_CONTROL = "public, max-age=31536000, immutable"
LOCAL_PREFIX = "/media/"


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def delete(self, keys: Iterable[str]) -> None: ...
    def url(self, key: str) -> str: ...


def new_key(kind: str, extension: str) -> str:
    """e.g. media/3f9c.../original.jpg; the random part is the unguessable file name."""
    return f"{kind}/{secrets.token_hex(16)}.{extension}"


class LocalStorage:
    def __init__(self, root: Path, public_url: str | None = None) -> None:
        self.root = root
        self.public_url = public_url or LOCAL_PREFIX

    def path(self, key: str) -> Path:
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        return self.public_url.rstrip("/") + "/" + key


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        public_url: str | None = None,
    ) -> None:
        import boto3  # only a bucket deployment pays for importing boto3

        self.bucket = bucket
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
        base = endpoint_url or f"https://{bucket}.s3.{region}.amazonaws.com"
        default = f"{base.rstrip('/')}/{bucket}" if endpoint_url else base
        self.public_url = (public_url or default).rstrip("/")

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )

    def delete(self, keys: Iterable[str]) -> None:
        objects = [{"Key": key} for key in keys]
        for start in range(0, len(objects), 1000):  # S3's batch limit
            batch = objects[start : start + 1000]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})

    def url(self, key: str) -> str:
        return f"{self.public_url}/{key}"


@lru_cache(maxsize=1)
def storage() -> Storage:
    """The configured storage, built once per process (tests clear the cache to switch)."""
    if settings.media_s3_bucket:
        return S3Storage(
            settings.media_s3_bucket,
            endpoint_url=settings.media_s3_endpoint_url,
            region=settings.media_s3_region,
            public_url=settings.media_public_url,
        )
    return LocalStorage(settings.media_root, settings.media_public_url)


def url(key: str | None) -> str | None:
    return storage().url(key) if key else None
