"""Thumbnails: PDFs made here, served by a loopback server, rendered to WebP, stored
on both backends, served with long cache headers, shown in cards without a layout
shift; bad PDFs give no thumbnail, a log line and no retry."""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from paperwire.application.thumbnails import refresh_thumbnails, wanted_papers
from paperwire.ingest.pdf_thumbnail import MAX_BYTES, BadPdf, render_thumbnail
from paperwire.ingest.ratelimit import RateLimiter
from paperwire.store import PaperStore
from pdf_helpers import FIGURE_BOX, text_and_figure_pdf
from replay_server import ReplayServer, Reply, live_settings, replay_server
from web_helpers import NOW, fill_store, make_app

TODAY = NOW.date()


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def test_the_first_page_becomes_a_small_webp_with_its_figure() -> None:
    made = render_thumbnail(text_and_figure_pdf())
    assert made.image[:4] == b"RIFF" and made.image[8:12] == b"WEBP"
    assert made.width == 320 and abs(made.height - 320 * 792 / 612) <= 1  # US Letter
    assert len(made.image) <= MAX_BYTES
    picture = Image.open(io.BytesIO(made.image)).convert("RGB")
    assert picture.size == (made.width, made.height)
    scale = 320 / 612
    x0, y0, x1, y1 = FIGURE_BOX
    red = picture.getpixel((round((x0 + x1) / 2 * scale), round((792 - (y0 + y1) / 2) * scale)))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60  # the figure is drawn
    assert picture.getpixel((3, 3)) == (255, 255, 255)  # the margin is paper


@pytest.mark.parametrize(
    "data",
    [b"", b"<html>Not Found</html>", text_and_figure_pdf()[:300], b"%PDF-1.4\n%%EOF\n"],
)
def test_what_is_not_a_renderable_pdf_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(BadPdf, match=r"\w"):
        render_thumbnail(data)


def test_a_page_that_cannot_fit_the_size_limit_is_refused() -> None:
    with pytest.raises(BadPdf, match="does not fit"):
        render_thumbnail(text_and_figure_pdf(), max_bytes=100)


def _serve(server: ReplayServer, store: PaperStore) -> dict[str, str]:
    """Four wanted papers: a good PDF, a 404, a corrupt PDF and an oversized one."""
    ids = [paper.id for paper in wanted_papers(store, TODAY)]
    assert len(ids) >= 4, ids
    good, missing, corrupt, huge = ids[:4]
    server.add(
        f"/pdf/{good}", Reply(200, text_and_figure_pdf(), {"content-type": "application/pdf"})
    )
    server.add(f"/pdf/{missing}", Reply(404, "no such paper"))
    server.add(f"/pdf/{corrupt}", Reply(200, b"%PDF-1.5\n" + b"\x00garbage" * 100))
    server.add(f"/pdf/{huge}", Reply(200, b"%PDF-1.4\n" + b" " * 50_000))
    return {"good": good, "missing": missing, "corrupt": corrupt, "huge": huge}


def test_the_fetcher_stores_good_thumbnails_and_records_bad_pdfs_once(
    server: ReplayServer, store: PaperStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    papers = _serve(server, store)
    settings = live_settings(server, tmp_path, thumbnail_pdf_max_bytes=40_000)
    with caplog.at_level(logging.WARNING, logger="paperwire.application.thumbnails"):
        report = refresh_thumbnails(store, settings, TODAY, cap=4)
    assert (report.made, report.failed, report.stopped) == (1, 3, None)
    stored = store.thumbnail(papers["good"])
    assert stored is not None and stored.image[8:12] == b"WEBP" and stored.width == 320
    assert report.bytes_stored == len(stored.image) == store.thumbnail_bytes_total()
    for name in ("missing", "corrupt", "huge"):
        assert store.thumbnail(papers[name]) is None
        assert any(papers[name] in record.getMessage() for record in caplog.records), name
    assert "404" in " ".join(report.problems) and "larger than 40,000" in " ".join(report.problems)
    # A second run asks for none of them again: each was recorded.
    asked = {name: len(server.requests_to(f"/pdf/{pid}")) for name, pid in papers.items()}
    again = refresh_thumbnails(store, settings, TODAY, cap=4)
    assert again.made == 0 and again.failed == 4  # four others: 404 from this server
    assert {n: len(server.requests_to(f"/pdf/{p}")) for n, p in papers.items()} == asked
    assert all(pid not in {p.id for p in wanted_papers(store, TODAY)} for pid in papers.values())


def test_a_host_that_fails_stops_the_run_and_records_nothing(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    first = wanted_papers(store, TODAY)[0].id
    server.add(f"/pdf/{first}", Reply(503, "busy"))
    report = refresh_thumbnails(store, live_settings(server, tmp_path), TODAY, cap=3)
    assert report.made == 0 and report.stopped and "503" in report.stopped
    assert store.thumbnail_attempted([first]) == set()  # the next run tries it again


def test_the_total_size_cap_stops_the_run(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    for paper in wanted_papers(store, TODAY):
        server.add(f"/pdf/{paper.id}", Reply(200, text_and_figure_pdf(paper.id)))
    settings = live_settings(server, tmp_path, thumbnail_max_bytes=1)
    report = refresh_thumbnails(store, settings, TODAY, cap=10)
    assert (
        report.made == 1 and report.stopped and "PAPERWIRE_THUMBNAILS_MAX_BYTES" in report.stopped
    )


def test_only_papers_people_see_are_wanted(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    recent = {p.id for p in wanted_papers(store, TODAY)}
    assert recent and all(store.get_paper(pid) for pid in recent)
    # Three weeks later the feeds' papers are no longer wanted, unless a reader chose one.
    later = TODAY + timedelta(days=21)
    assert wanted_papers(store, later) == []
    user = store.create_user("ada", "$argon2id$unused")
    chosen = sorted(recent)[0]
    store.set_vote(user.id, chosen, True, 1.0)
    assert [p.id for p in wanted_papers(store, later)] == [chosen]


def test_background_requests_yield_the_limiter_to_the_sync() -> None:
    limiter = RateLimiter()
    order: list[str] = []
    holding = threading.Event()

    def hold() -> None:
        with limiter.slot(0.0):
            holding.set()
            time.sleep(0.3)
            order.append("first")

    def run(name: str, background: bool) -> None:
        with limiter.slot(0.0, background=background):
            order.append(name)

    threads = [threading.Thread(target=hold)]
    threads[0].start()
    holding.wait()
    for name, background in [("thumbnail", True), ("sync", False)]:
        thread = threading.Thread(target=run, args=(name, background))
        thread.start()
        threads.append(thread)
        time.sleep(0.05)  # the thumbnail asks first
    for thread in threads:
        thread.join(5)
    assert order == ["first", "sync", "thumbnail"]


def test_cards_and_pages_show_the_thumbnail_and_it_is_served_immutable(
    server: ReplayServer, store: PaperStore, tmp_path: Path
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    papers = _serve(server, store)
    refresh_thumbnails(
        store, live_settings(server, tmp_path, thumbnail_pdf_max_bytes=40_000), TODAY, cap=4
    )
    with TestClient(make_app(store, None)) as client:  # type: ignore[arg-type]
        feed = client.get("/papers?date=" + _day_of(store, papers["good"]))
        assert feed.status_code == 200
        images = re.findall(r"<img class=\"thumbnail\"[^>]*>", feed.text)
        assert len(images) == 1, images
        tag = images[0]
        stored = store.thumbnail(papers["good"])
        assert stored is not None
        size = (f'width="{stored.width}"', f'height="{stored.height}"')
        for attribute in ('loading="lazy"', *size, 'alt="First page of'):
            assert attribute in tag, tag
        src = re.search(r'src="([^"]+)"', tag)
        assert src is not None and src.group(1).startswith(f"/thumbnails/{papers['good']}.webp?v=")
        image = client.get(src.group(1).replace("&amp;", "&"))
        assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
        assert "immutable" in image.headers["cache-control"]
        assert "max-age=31536000" in image.headers["cache-control"]
        assert "content-encoding" not in image.headers
        assert image.content == store.thumbnail(papers["good"]).image  # type: ignore[union-attr]
        again = client.get(src.group(1), headers={"If-None-Match": image.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert client.head(src.group(1)).status_code == 200
        page = client.get(f"/papers/{papers['good']}")
        og = re.search(r'<meta property="og:image" content="([^"]+)"', page.text)
        assert og is not None and og.group(1).startswith("http://testserver/thumbnails/")
        assert '<meta name="twitter:image"' in page.text
        # Papers whose PDF was bad show no image, and their pages work.
        for name in ("missing", "corrupt", "huge"):
            bad = client.get(f"/papers/{papers[name]}")
            assert bad.status_code == 200 and 'class="thumbnail"' not in bad.text
            assert "og:image" not in bad.text
            assert client.get(f"/thumbnails/{papers[name]}.webp").status_code == 404


def _day_of(store: PaperStore, paper_id: str) -> str:
    paper = store.get_paper(paper_id)
    assert paper is not None and paper.listed_on is not None
    return paper.listed_on.isoformat()
