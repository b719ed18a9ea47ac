"""A visitor's whole path through the site in a real browser: the feed, the day before,
the week, a search, a paper and its BibTeX, an account, an upvote, a submission."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "correct horse battery"


def test_reading_the_feed_and_searching(page, shoot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert page.locator("h1").first.inner_text() == "Daily Papers"
    titles = page.locator("h3.title a").all_inner_texts()
    assert titles[0] == "Scaling Diffusion Transformers for Video"
    assert page.get_by_text("Get trending papers in your email inbox!").is_visible()
    shoot(page, "01-feed")
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 22, 26)"  # the dark palette follows the system
    shoot(page, "01-feed-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator(".subscribe").is_visible()  # the side column folds under the list
    shoot(page, "01-feed-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="← Previous day").click()
    page.wait_for_url("**/papers?date=2026-11-23")
    assert (
        "Reasoning Transformers Learn Chain of Thought"
        in page.locator("h3.title a").all_inner_texts()
    )
    shoot(page, "02-previous-day")

    page.locator(".tabs").get_by_role("link", name="Week").click()
    page.wait_for_url("**/papers?week=2026-W48")
    assert page.locator(".period h2").inner_text().startswith("Week 48, 2026")
    shoot(page, "03-week")

    page.locator("#site-q").fill("protein")
    page.locator("#site-q").press("Enter")
    page.wait_for_url("**/search?q=protein")
    assert page.locator("h3.title mark").first.inner_text() == "Protein"
    shoot(page, "04-search")

    page.locator("h3.title a").first.click()
    page.wait_for_url("**/papers/2611.00003")
    page.get_by_role("button", name="Copy BibTeX").click()
    page.get_by_role("button", name="Copied!").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{2611.00003,\n")
    assert "author={Rosalind Franklin}" in copied and copied.rstrip().endswith("}")
    shoot(page, "05-paper")
    assert not page.problems, page.problems


def test_account_upvote_and_submission(page, shoot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/register")
    page.locator("#username").fill("grace")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    shoot(page, "06-register")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")
    assert page.locator(".who").inner_text() == "grace"

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    page.goto("/login?next=/papers/2611.00005")
    page.locator("#username").fill("grace")
    page.locator("#password").fill(PASSWORD)
    shoot(page, "07-login")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/papers/2611.00005")

    vote = page.locator(".paper-head form.upvote button")
    assert vote.locator(".count").inner_text() == "15"
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    vote.click()
    # Polled by Playwright itself: a string predicate would be evaluated inside the
    # page, which the site's CSP (no 'unsafe-eval') refuses.
    expect(vote.locator(".count")).to_have_text("16")
    assert page.evaluate("window.stillHere") is True
    assert vote.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.locator(".paper-head form.upvote .count").inner_text() == "16"
    shoot(page, "08-upvoted")

    page.goto("/submit")
    page.locator("#paper").fill("https://arxiv.org/abs/2611.00042")
    shoot(page, "09-submit")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r".*/papers/2611\.00042\?submitted=1$"))
    assert page.locator("h1").inner_text() == "Submitted Papers Reach the Feed"
    assert page.get_by_text("now in the daily feed").is_visible()
    page.goto("/")
    assert "Submitted Papers Reach the Feed" in page.locator("h3.title a").all_inner_texts()
    shoot(page, "10-feed-after-submit")
    assert not page.problems, page.problems


def test_upvoting_works_without_javascript(browser, live_server, shoot) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/register")
    page.locator("#username").fill("nojs")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.goto("/papers?date=2026-11-20")
    item = page.locator("#p-2611-00007")
    before = int(item.locator(".count").inner_text())
    item.locator("form.upvote button").click()
    page.wait_for_url("**/papers?date=2026-11-20")
    assert int(page.locator("#p-2611-00007 .count").inner_text()) == before + 1
    shoot(page, "11-upvote-without-javascript")
    context.close()
