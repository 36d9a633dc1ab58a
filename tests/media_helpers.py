"""Where the test run's uploaded files are, and an S3-compatible server for the bucket path."""

import socket
from pathlib import Path

from webapp.config import settings

BUCKET = "chirp-test-media"


def stored_files() -> set[str]:
    """Every file under MEDIA_ROOT, as keys."""
    root = Path(settings.media_root)
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def bucket_keys(client: object) -> set[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)  # type: ignore[attr-defined]
    return {item["Key"] for item in listing.get("Contents", [])}
