"""PDFs made in the tests: multi-page with headings, encrypted, image-only, corrupt."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle


@dataclass(frozen=True)
class Heading:
    """A heading line on a page (also a bookmark when the PDF has an outline)."""

    text: str


Page = Sequence[str | Heading]


def pdf_bytes(pages: Sequence[Page], *, title: str | None = None, outline: bool = True) -> bytes:
    """A PDF with one page per item; strings are paragraphs, Heading items are headings."""
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    for page in pages:
        pdf.add_page()
        for item in page:
            if isinstance(item, Heading):
                pdf.set_font("Helvetica", style="B", size=13)
                if outline:
                    pdf.start_section(item.text)
                pdf.multi_cell(0, 8, item.text, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", size=10)
                pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
    return bytes(pdf.output())


def write_pdf(path: Path, pages: Sequence[Page], *, title: str | None = None,
              outline: bool = True, roman_front_pages: int = 0) -> Path:
    """Write a text PDF; the first `roman_front_pages` pages get labels i, ii, ..."""
    data = pdf_bytes(pages, title=title, outline=outline)
    if roman_front_pages:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.set_page_label(0, roman_front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
        writer.set_page_label(roman_front_pages, len(pages) - 1, style=PageLabelStyle.DECIMAL,
                              start=1)
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    path.write_bytes(data)
    return path


def write_encrypted_pdf(path: Path, pages: Sequence[Page], *, user_password: str = "",
                        algorithm: str = "AES-128") -> Path:
    """An encrypted PDF; with an empty user password it opens without asking."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    writer.encrypt(user_password=user_password, owner_password="organiser-owner",
                   algorithm=algorithm)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A 'scanned' PDF: each page is a picture, there is no text layer."""
    pdf = FPDF()
    for number in range(pages):
        image = Image.new("RGB", (400, 560), (255, 255, 255))
        for x in range(40, 360):
            for y in range(60 + number * 10, 70 + number * 10):
                image.putpixel((x, y), (0, 0, 0))
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=180)
    path.write_bytes(bytes(pdf.output()))
    return path


def write_corrupt_pdf(path: Path) -> Path:
    """The first bytes of a real PDF, then garbage: a broken download."""
    data = pdf_bytes([["A page that will be cut off."]])
    path.write_bytes(data[:200] + b"\x00garbage\xff" * 20)
    return path
