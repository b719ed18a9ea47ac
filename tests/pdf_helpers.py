"""PDFs made in the test itself: a page of text and a figure, written by hand.

A minimal PDF 1.4 file: one US Letter page whose content stream sets a title
and lines of text in Helvetica and draws a figure (a filled red rectangle
and a blue polyline, as a plot would). The cross-reference table carries the
real byte offsets, so PDFium opens it without repairing anything.
"""

from __future__ import annotations

__all__ = ["FIGURE_BOX", "text_and_figure_pdf"]

# The figure's box in PDF points (origin bottom left): x0, y0, x1, y1.
FIGURE_BOX = (150.0, 250.0, 450.0, 450.0)


def text_and_figure_pdf(title: str = "Attention Is All You Need", lines: int = 30) -> bytes:
    x0, y0, x1, y1 = FIGURE_BOX
    text = [f"BT /F1 20 Tf 72 720 Td ({title}) Tj ET"]
    for n in range(lines):
        text.append(f"BT /F1 9 Tf 72 {690 - n * 12} Td (Line {n}: we propose a model.) Tj ET")
    figure = [
        f"1 0 0 rg {x0} {y0} {x1 - x0} {y1 - y0} re f",
        f"0 0 1 RG 4 w {x0} {y0} m {x0 + 100} {y1 - 20} l {x1} {y0 + 40} l S",
    ]
    stream = "\n".join([*figure, *text]).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
