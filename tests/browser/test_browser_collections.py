"""A reader shares a library folder in a real browser: saves papers into it, makes it a
public collection with a note, finds it on their profile, and makes it private again."""

from __future__ import annotations

from browser_accounts import register


def test_a_folder_becomes_a_public_collection(page, shoot) -> None:  # type: ignore[no-untyped-def]
    register(page, "curator")

    for paper_id in ("2611.00004", "2611.00003"):
        page.goto(f"/papers/{paper_id}")
        page.locator("#save-folder").fill("Reading group")
        page.get_by_role("button", name="Save to library").click()
        page.wait_for_url(f"**/papers/{paper_id}")

    page.goto("/library")
    page.get_by_role("link", name="Reading group").click()
    page.get_by_role("link", name="Feed, public collection and notes").click()
    page.wait_for_url("**/collection")
    page.locator("#collection-title").fill("Week 48 <reading>")
    page.locator("#collection-description").fill("What we read on Thursday.")
    page.get_by_role("button", name="Make public").click()
    page.wait_for_url("**/collection")
    assert page.get_by_role("button", name="Make it private again").is_visible()
    page.locator(".note-form textarea").first.fill("Start with section 3 & the appendix.")
    page.get_by_role("button", name="Save note").first.click()
    page.wait_for_url("**/collection")
    shoot(page, "collections-01-edit")

    page.get_by_role("link", name="your profile").click()
    page.wait_for_url("**/users/curator")
    link = page.get_by_role("link", name="Week 48 <reading>")
    assert link.is_visible()
    shoot(page, "collections-02-profile")
    link.click()
    page.wait_for_url("**/collections/curator/week-48-reading")
    assert page.locator("h1").first.inner_text() == "Week 48 <reading>"
    titles = page.locator("h3.title a").all_inner_texts()
    assert len(titles) == 2
    assert page.get_by_text("Start with section 3 & the appendix.").is_visible()
    shoot(page, "collections-03-public")

    # An author name on a card leads to that name's page.
    page.locator("p.authors a.author").first.click()
    page.wait_for_url("**/authors/**")
    assert page.get_by_text("groups papers by the author name").is_visible()
    shoot(page, "collections-04-author")

    page.go_back()
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Make it private again").click()
    page.wait_for_url("**/collection")
    assert not page.problems, page.problems  # the 404 below is the one expected
    answer = page.goto("/collections/curator/week-48-reading")
    assert answer is not None and answer.status == 404
    page.goto("/users/curator")
    assert page.get_by_text("curator has no public collections.").is_visible()
