"""Tweet text rendering: escaped always, links only for http(s), mentions and tags."""

from bs4 import BeautifulSoup

from webapp.text import linkify


def anchors(html: str) -> list[tuple[str, str]]:
    return [
        (str(a["href"]), a.get_text()) for a in BeautifulSoup(html, "html.parser").find_all("a")
    ]


def test_markup_is_shown_as_text_not_run():
    text = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
    html = linkify(text)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.get_text() == text


def test_http_links_mentions_and_tags_become_anchors():
    html = linkify("see https://example.com/a?b=1&c=2. by @Ada about #Python!")
    assert anchors(html) == [
        ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
        ("/@ada", "@Ada"),
        ("/tags/python", "#Python"),
    ]


def test_javascript_urls_and_emails_stay_plain_text():
    html = linkify("javascript:alert(1) and ada@example.com")
    assert anchors(html) == []
    assert (
        BeautifulSoup(html, "html.parser").get_text() == "javascript:alert(1) and ada@example.com"
    )


def test_a_quote_cannot_break_out_of_a_link():
    html = linkify('https://x.org/"onmouseover=alert(1)')
    assert anchors(html) == [("https://x.org/", "https://x.org/")]
    link = BeautifulSoup(html, "html.parser").find("a")
    assert link is not None and list(link.attrs) == ["href", "rel"]
