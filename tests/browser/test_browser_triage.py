"""Triage in a real browser: "For you" by keyboard (j, k, s, x, o) with the results
announced in place, the saved mark still there after a reload, and the same work done
with JavaScript switched off, as forms."""

from __future__ import annotations

import re

from browser_accounts import register
from playwright.sync_api import expect

TAUGHT = "2611.00004"  # saved first, so that "For you" has something to learn from


def _save_from_its_page(page, paper_id: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/papers/{paper_id}")
    page.get_by_role("button", name="Save to library").click()
    page.wait_for_url(f"**/papers/{paper_id}")
    # The page now says so, and offers the undo instead of saving again.
    expect(page.locator(".triage-state.saved")).to_contain_text("In your library")
    assert page.get_by_role("button", name="Undo save").is_visible()
    assert page.get_by_role("button", name="Save to library").count() == 0


def _focused_card(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate("document.activeElement.closest('li.paper')?.id ?? ''"))


def test_for_you_by_keyboard_and_after_a_reload(page, shoot) -> None:  # type: ignore[no-untyped-def]
    register(page, "keys")
    _save_from_its_page(page, TAUGHT)
    page.goto("/for-you")
    expect(page.locator("#triage-keys")).to_be_visible()  # the keys are said once they work
    cards = page.locator("[data-triage-keys] li.paper")
    assert cards.count() >= 3
    ids = [cards.nth(i).get_attribute("id") for i in range(3)]
    page.evaluate("window.stillHere = true")  # gone if the page reloads

    page.keyboard.press("j")
    assert _focused_card(page) == ids[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _focused_card(page) == ids[2]
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert _focused_card(page) == ids[0]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus can be seen
    shoot(page, "triage-01-for-you-focus")

    first = page.locator(f"#{ids[0]}")
    first_title = first.locator(".title a").inner_text()
    page.keyboard.press("s")
    expect(first.locator(".triage-mark.saved")).to_have_text("Saved")
    expect(page.locator("#triage-status")).to_have_text(f"Saved to your library: “{first_title}”.")
    assert _focused_card(page) == ids[0]  # the keyboard stays on the card

    page.keyboard.press("j")
    second = page.locator(f"#{ids[1]}")
    page.keyboard.press("x")
    expect(second.locator(".triage-mark.dismissed")).to_have_text("Not interested")
    expect(page.locator("#triage-status")).to_contain_text("Marked not interested")
    # x again takes it back, in place too.
    page.keyboard.press("x")
    expect(second.locator(".triage-mark")).to_have_count(0)
    expect(page.locator("#triage-status")).to_contain_text("No longer marked not interested")
    page.keyboard.press("x")
    expect(second.locator(".triage-mark.dismissed")).to_have_text("Not interested")
    assert page.evaluate("window.stillHere") is True  # no reload happened
    shoot(page, "triage-02-saved-and-dismissed")

    # Keys typed into a field are text, not commands.
    page.locator("#site-q").click()
    page.keyboard.type("sxjo")
    assert page.locator("#site-q").input_value() == "sxjo"
    expect(page.locator(f"#{ids[2]} .triage-mark")).to_have_count(0)
    assert page.url.endswith("/for-you")

    page.reload()
    saved_id = ids[0].removeprefix("p-").replace("-", ".")
    listed = page.locator("[data-triage-keys] li.paper")
    remaining = [listed.nth(i).get_attribute("id") for i in range(listed.count())]
    assert ids[0] not in remaining and ids[1] not in remaining  # triaged: off the list
    shoot(page, "triage-03-for-you-after-reload")
    page.goto("/library")
    assert first_title in page.locator("h3.title a").all_inner_texts()
    expect(page.locator(f"#{ids[0]} .triage-mark.saved")).to_have_text("Saved")
    page.goto(f"/papers/{saved_id}")
    expect(page.locator(".triage-state.saved")).to_contain_text("In your library")
    shoot(page, "triage-04-saved-after-reload")

    page.goto("/for-you")
    opened = page.locator("[data-triage-keys] li.paper .title a").first.get_attribute("href")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(f"**{opened}")
    assert not page.problems, page.problems


def test_triage_without_javascript(browser, live_server, shoot) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    register(page, "plain")
    _save_from_its_page(page, TAUGHT)
    page.goto("/for-you")
    assert page.locator("#triage-keys").is_hidden()  # no keys without the script
    first = page.locator("[data-triage-keys] li.paper").first
    first_id = first.get_attribute("id")
    title = first.locator(".title a").inner_text()
    first.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/for-you\?done=saved&paper=.+"))
    notice = page.locator(".triage-notice")
    expect(notice).to_contain_text(f"Saved to your library: “{title}”.")
    assert page.locator(f"#{first_id}").count() == 0
    shoot(page, "triage-05-saved-without-javascript")
    notice.get_by_role("button", name="Undo save").click()
    page.wait_for_url(re.compile(r".*/for-you\?done=unsaved&paper=.+"))
    expect(page.locator(".triage-notice")).to_contain_text("Removed from your library")
    assert page.locator(f"#{first_id}").count() == 1

    page.goto("/papers?month=2026-11")
    card = page.locator(f"#p-{TAUGHT.replace('.', '-')}")
    card.get_by_role("button", name="Not interested").click()
    page.wait_for_url(re.compile(r".*/papers\?month=2026-11#p-2611-00004$"))
    expect(card.locator(".triage-mark.dismissed")).to_have_text("Not interested")
    expect(card.locator(".triage-mark.saved")).to_have_text("Saved")  # still in the library
    shoot(page, "triage-06-dismissed-without-javascript")
    context.close()
