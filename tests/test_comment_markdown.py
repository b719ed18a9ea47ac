"""A comment's Markdown as HTML: raw HTML as text, safe links only, mentions, the math hook."""

from __future__ import annotations

import pytest

from paperwire.web.render import comments
from paperwire.web.render.comments import comment_html


def test_raw_html_is_text_and_only_safe_links_survive() -> None:
    html = str(
        comment_html(
            "<script>alert(1)</script> [a](javascript:alert(1)) [b](data:text/html,x)"
            " [ok](https://example.org) <img src=x onerror=alert(1)> **bold**"
        )
    )
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener noreferrer">ok</a>' in html


def test_mentions_link_known_users_outside_code_and_links() -> None:
    html = str(
        comment_html("@Ada and @nobody, `@ada`, [@ada](https://e.org) mail@ada.org", {"ada"})
    )
    assert html.count('class="mention"') == 1
    assert '<a class="mention" href="/users/Ada"' in html and "@nobody" in html
    assert "<code>@ada</code>" in html


def test_the_math_hook_output_is_sanitised_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def render(html: str) -> str:
        return html.replace("$x$", '<math display="inline"><mi>x</mi></math><script>no</script>')

    monkeypatch.setattr(comments, "_math", [render])
    html = str(comment_html("see $x$"))
    assert '<math display="inline"><mi>x</mi></math>' in html and "<script" not in html
    monkeypatch.setattr(comments, "_math", [])
    assert "$x$" in str(comment_html("see $x$"))  # until a renderer is installed: the source
