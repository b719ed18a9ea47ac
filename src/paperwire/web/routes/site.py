"""What crawlers read: ``/robots.txt`` and the sitemap of paper pages.

``/sitemap.xml`` lists every paper page (papers arXiv deleted left out) in the
sitemaps.org protocol (https://www.sitemaps.org/protocol.html): one file holds
at most ``URLS_PER_SITEMAP`` (50,000) URLs, so past that ``/sitemap.xml`` is a
sitemap index whose files are ``/sitemaps/papers-N.xml``. ``robots.txt``
(RFC 9309) keeps crawlers off searches, the API, accounts and personal pages,
and names the sitemap.
"""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from paperwire.web.conditional import conditional_route
from paperwire.web.errors import error_response
from paperwire.web.render.cards import paper_url
from paperwire.web.state import app_state, site_url

__all__ = ["URLS_PER_SITEMAP", "router"]

router = APIRouter(route_class=conditional_route("public, max-age=3600"))

URLS_PER_SITEMAP = 50_000  # the protocol's limit per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML = "application/xml; charset=utf-8"
_KEPT_OFF = (
    "/api/",
    "/search",
    "/feeds/search.",
    "/login",
    "/register",
    "/logout",
    "/library",
    "/follows",
    "/for-you",
    "/subscribe",
    "/unsubscribe",
)


def _base(request: Request) -> str:
    return site_url(request)


@router.get("/robots.txt", include_in_schema=False)
def robots(request: Request) -> Response:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _KEPT_OFF), "Allow: /", ""]
    lines.append(f"Sitemap: {_base(request)}/sitemap.xml")
    return PlainTextResponse("\n".join(lines) + "\n")


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(request: Request) -> Response:
    total = app_state(request).store.sitemap_count()
    per_file = URLS_PER_SITEMAP
    if total <= per_file:
        return _urlset(request, 0, per_file)
    root = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for number in range(1, -(-total // per_file) + 1):
        entry = ET.SubElement(root, "sitemap")
        ET.SubElement(entry, "loc").text = f"{_base(request)}/sitemaps/papers-{number}.xml"
    return Response(ET.tostring(root, encoding="utf-8", xml_declaration=True), media_type=XML)


@router.get("/sitemaps/papers-{number}.xml", include_in_schema=False)
def sitemap_part(request: Request, number: str) -> Response:
    total = app_state(request).store.sitemap_count()
    parts = max(1, -(-total // URLS_PER_SITEMAP))
    if not number.isdigit() or not 1 <= int(number) <= parts:
        return error_response(request, 404, f"There are sitemap files 1 to {parts}.")
    return _urlset(request, (int(number) - 1) * URLS_PER_SITEMAP, URLS_PER_SITEMAP)


def _urlset(request: Request, offset: int, limit: int) -> Response:
    base = _base(request)
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for found in app_state(request).store.sitemap_entries(offset, limit):
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = base + paper_url(found.paper_id)
        if isinstance(found.last_modified, date):
            ET.SubElement(entry, "lastmod").text = found.last_modified.isoformat()
    return Response(ET.tostring(root, encoding="utf-8", xml_declaration=True), media_type=XML)
