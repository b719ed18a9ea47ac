"""A comment's Markdown as HTML: raw HTML as text, safe links only, mentions, the math hook."""

from __future__ import annotations

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


def test_math_renders_as_on_paper_pages_and_stays_source_in_code() -> None:
    html = str(comment_html("The loss $a_i * b_i$ and `$x_1$`, and $\\frac{1}{2}$ here"))
    assert html.count("<math") == 2 and "<em>" not in html  # _ and * stay math
    assert "<code>$x_1$</code>" in html
    assert 'alttext="$a_i * b_i$"' in html


def test_hostile_tex_in_a_comment_is_sanitised() -> None:
    html = str(comment_html("$\\text{<script>alert(1)</script>}$ and $\\href{javascript:x}{y}$"))
    assert "<script" not in html and "javascript:" not in html.replace(
        "$\\href{javascript:x}{y}$", ""
    )
