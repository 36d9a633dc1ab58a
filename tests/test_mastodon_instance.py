"""/api/v2/instance as Mastodon 4.3 shapes it: what a client reads before it offers a feature."""

from fastapi.testclient import TestClient


def test_v2_instance_says_4_3_and_every_limit(client: TestClient):
    v2 = client.get("/api/v2/instance").json()
    assert v2["version"].startswith("4.3.0 (compatible; Chirp")
    assert v2["api_versions"] == {"mastodon": 2}
    config = v2["configuration"]
    assert set(config) >= {
        "urls",
        "accounts",
        "statuses",
        "media_attachments",
        "polls",
        "translation",
    }
    assert config["urls"]["streaming"] == "ws://testserver"
    assert config["statuses"] == {
        "max_characters": 280,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 0,
    }
    media = config["media_attachments"]
    assert "image/png" in media["supported_mime_types"]
    assert media["image_size_limit"] == 10 * 1024 * 1024
    assert config["accounts"]["max_profile_fields"] == 4
    assert config["polls"]["max_options"] == 4  # apps offer polls of up to four choices
    assert config["translation"] == {"enabled": False}
    assert v2["registrations"]["enabled"] is True
    assert v2["contact"] == {"email": "", "account": None}


def test_v1_instance_names_the_same_limits(client: TestClient):
    v1 = client.get("/api/v1/instance").json()
    assert v1["version"].startswith("4.3.0 ")
    assert v1["configuration"]["statuses"]["max_media_attachments"] == 4
    assert v1["configuration"]["media_attachments"]["image_matrix_limit"] == 50_000_000
