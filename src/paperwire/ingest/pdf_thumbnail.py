"""A paper's thumbnail: the first page of its PDF as a small WebP image.

PDFium (``pypdfium2``) renders the page at ``WIDTH`` pixels wide; a page
taller than ``MAX_ASPECT`` times its width is cut at that height, so no card
gets a strip. Pillow encodes it as WebP, lowering the quality step by step
until it fits in ``MAX_BYTES`` (a text page is 6-10 KB at quality 80).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

__all__ = ["MAX_BYTES", "WIDTH", "BadPdf", "Thumbnail", "render_thumbnail"]

WIDTH = 320
MAX_ASPECT = 1.6  # height / width; A4 is 1.41, US Letter 1.29
MAX_BYTES = 30 * 1024
_QUALITIES = (80, 65, 50, 35, 20)


class BadPdf(ValueError):
    """The bytes are not a PDF PDFium can render (corrupt, encrypted, no pages)."""


@dataclass(frozen=True, slots=True)
class Thumbnail:
    image: bytes  # WebP
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.blake2b(self.image, digest_size=12).hexdigest()


def render_thumbnail(pdf: bytes, width: int = WIDTH, max_bytes: int = MAX_BYTES) -> Thumbnail:
    """The first page of ``pdf`` as a WebP ``width`` pixels wide, at most ``max_bytes``.

    Raises ``BadPdf`` when PDFium cannot open or render it, or no quality fits."""
    if not pdf.startswith(b"%PDF-"):
        raise BadPdf("not a PDF (it does not start with %PDF-)")
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise BadPdf(f"PDFium cannot open it: {exc}") from None
    try:
        if len(document) == 0:
            raise BadPdf("the PDF has no pages")
        page = document[0]
        page_width, page_height = page.get_size()
        if page_width <= 0 or page_height <= 0:
            raise BadPdf(f"the first page has no size ({page_width} x {page_height})")
        bitmap = page.render(scale=width / page_width)
        picture = bitmap.to_pil().convert("RGB")
    except pdfium.PdfiumError as exc:
        raise BadPdf(f"PDFium cannot render its first page: {exc}") from None
    finally:
        document.close()
    return _encode(_cropped(picture, width), max_bytes)


def _cropped(picture: Image.Image, width: int) -> Image.Image:
    if picture.width != width:
        height = round(picture.height * width / picture.width)
        picture = picture.resize((width, max(1, height)))
    tallest = round(width * MAX_ASPECT)
    return picture.crop((0, 0, width, tallest)) if picture.height > tallest else picture


def _encode(picture: Image.Image, max_bytes: int) -> Thumbnail:
    for quality in _QUALITIES:
        out = io.BytesIO()
        picture.save(out, "WEBP", quality=quality, method=6)
        if out.tell() <= max_bytes:
            return Thumbnail(out.getvalue(), picture.width, picture.height)
    raise BadPdf(f"its first page does not fit in {max_bytes:,} bytes as WebP")
