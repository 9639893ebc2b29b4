"""Generated fixtures for every document format (no downloads): each function returns the bytes
of one realistic file whose true text the tests know. Also used by scripts/bench_loaders.py and
scripts/compare_pdf.py."""

from __future__ import annotations

import io
import textwrap
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone

# The report every format carries: a heading, then paragraphs (the truth the tests compare with).
TITLE = "Border crossing reopens under international supervision"
PARAGRAPHS = [
    "The Egyptian ministry confirmed that the Rafah border crossing reopened on Monday after three "
    "weeks of closure, allowing aid convoys to enter under international supervision.",
    "United Nations officials said that 40 trucks carrying food, fuel and medical supplies crossed "
    "during the first day, and that a further 60 trucks were waiting at the Egyptian side.",
    "Diplomats in Cairo warned that the arrangement remains fragile and that renewed fighting could "
    "close the crossing again within days if the ceasefire talks collapse.",
]
SECOND_HEADING = "Outlook for the talks"
SECOND = [
    "Negotiators from both delegations are expected to meet again in Cairo next week to discuss the "
    "exchange of prisoners and the reconstruction of damaged infrastructure.",
]
AUTHOR = "Amira Haddad"
DATE = datetime(2024, 3, 4, 9, 30, tzinfo=timezone.utc)


def html_page(title: str = TITLE, date: str = "2024-03-04") -> bytes:
    """A news page as saved from a browser: article plus navigation, cookie banner, comments, related links."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    second = "".join(f"<p>{p}</p>" for p in SECOND)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Daily Ledger</title><meta name="author" content="{AUTHOR}">
<meta property="article:published_time" content="{date}T09:30:00Z"><meta property="og:site_name" content="The Daily Ledger">
<script>window.dataLayer = [{{"event": "pageview"}}];</script><style>.x{{color:red}}</style></head>
<body><div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on our site.
Accept all cookies or manage your preferences in the privacy centre.</p><button>Accept all</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe today for unlimited access</a></li></ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {AUTHOR}</p>{body}<h2>{SECOND_HEADING}</h2>{second}</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Great article, thanks for sharing! Visit my site for cheap luxury watches today.</p></div>
<div class="comment"><p>I have been saying this for years and nobody listens to me at all.</p></div></section>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Ten best beaches to visit this summer season</a></li>
<li><a href="/b">Celebrity chef opens a new restaurant in the old harbour</a></li></ul></aside></main>
<footer><p>Copyright 2024 The Daily Ledger. All rights reserved. Terms of service and privacy policy.</p></footer>
</body></html>""".encode()


# Lines that must never reach the brief from the page above.
PAGE_FURNITURE = ["cookies", "World news", "Subscribe", "luxury watches", "nobody listens", "beaches",
                  "Celebrity chef", "Copyright", "pageview", "By Amira"]


def docx_report(tracked: bool = True, comment: bool = True) -> bytes:
    """A Word report: title and author properties, headings, paragraphs, a table, and (optionally) a
    tracked insertion and deletion and a comment."""
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    doc.core_properties.title = TITLE
    doc.core_properties.author = AUTHOR
    doc.core_properties.created = DATE.replace(tzinfo=None)
    doc.add_heading(TITLE, level=1)
    paras = [doc.add_paragraph(p) for p in PARAGRAPHS]
    doc.add_heading(SECOND_HEADING, level=2)
    for p in SECOND:
        doc.add_paragraph(p)
    table = doc.add_table(rows=3, cols=2)
    for row, (a, b) in zip(table.rows, [("Day", "Trucks"), ("Monday", "40"), ("Tuesday", "60")]):
        row.cells[0].text, row.cells[1].text = a, b
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    if tracked:
        p = doc.add_paragraph("The convoy ")
        p._p.append(parse_xml(f'<w:ins {ns} w:id="1" w:author="Editor" w:date="2024-03-05T00:00:00Z">'
                              f"<w:r><w:t xml:space=\"preserve\">safely </w:t></w:r></w:ins>"))
        p._p.append(parse_xml(f'<w:del {ns} w:id="2" w:author="Editor" w:date="2024-03-05T00:00:00Z">'
                              f"<w:r><w:delText xml:space=\"preserve\">slowly and dangerously </w:delText></w:r></w:del>"))
        p.add_run("reached the city before nightfall.")
    if comment:
        doc.add_comment(paras[0].runs, text="Check the truck figures with UNRWA.", author="Reviewer")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    """A zip archive of the given members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A small .docx-shaped zip whose document.xml unpacks to `unpacked_mb` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(unpacked_mb):
                member.write(block)
    return out.getvalue()


def pdf_report(pages: int = 3, hyphenate: bool = True, title: str | None = TITLE, author: str | None = AUTHOR) -> bytes:
    """A report drawn line by line: running header and footer ('Page N of M') on every page, a
    16 pt heading per page, 11 pt body text wrapped at 85 characters, one word hyphenated across a
    line end, and two paragraphs per page. `page_texts` gives the truth per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=True)  # invariant: dated 2000-01-01, same bytes each run
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    c.setCreator("makers.py")
    width, height = A4
    for number, (heading, paras) in enumerate(page_texts(pages), start=1):
        c.setFont("Helvetica", 8)
        c.drawString(72, height - 40, "Ledger Analysis Group - Restricted")
        c.drawString(width / 2 - 20, 30, f"Page {number} of {pages}")
        y = height - 90
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, y, heading)
        y -= 30
        c.setFont("Times-Roman", 11)
        for k, para in enumerate(paras):
            lines = textwrap.wrap(para, 85)
            if hyphenate and k == 0 and len(lines) > 2:  # split the first word of line 2 across lines 1-2
                word, _, rest = lines[1].partition(" ")
                cut = max(2, len(word) // 2)
                lines[0], lines[1] = f"{lines[0]} {word[:cut]}-", f"{word[cut:]} {rest}"
            for line in lines:
                c.drawString(72, y, line)
                y -= 14
            y -= 10
        c.showPage()
    c.save()
    return out.getvalue()


def page_texts(pages: int) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of each page of `pdf_report`."""
    body = PARAGRAPHS + SECOND
    return [(f"Part {n}: the crossing on day {n}", [body[(n - 1) % len(body)], body[n % len(body)]])
            for n in range(1, pages + 1)]


def pdf_platypus(pages_of_text: int = 3) -> bytes:
    """A report laid out by reportlab's platypus (justified paragraphs, heading styles, a table,
    header and footer drawn on each page): the kind of PDF a word processor exports."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    out = io.BytesIO()

    def furniture(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, "Ledger Analysis Group - Restricted")
        canvas.drawString(A4[0] / 2 - 10, 30, str(doc.page))
        canvas.restoreState()

    story = []
    for n in range(pages_of_text):
        story.append(Paragraph(f"Chapter {n + 1}: {SECOND_HEADING}", styles["Heading1"]))
        for p in (PARAGRAPHS + SECOND) * 3:
            story.append(Paragraph(p, styles["BodyText"]))
            story.append(Spacer(1, 6))
        story.append(Table([["Day", "Trucks"], ["Monday", "40"], ["Tuesday", "60"]]))
    doc = SimpleDocTemplate(out, pagesize=A4, title=TITLE, author=AUTHOR, invariant=True)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def pdf_scanned() -> bytes:
    """A 'scanned' page: an image and no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((20, 20, 380, 60), fill=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(image), 72, 500, width=400, height=200)
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_encrypted() -> bytes:
    """A PDF that needs a password to open."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(72, 700, "A secret report about the crossing.")
    c.showPage()
    c.save()
    return out.getvalue()


def eml_message(attachments: list[tuple[str, str, bytes]] | None = None, html_only: bool = False,
                subject: str = TITLE, date: datetime = DATE, paragraphs: list[str] | None = None) -> bytes:
    """A mail from an analyst: plain and HTML bodies (or HTML only), optional (name, mime, bytes) attachments."""
    msg = EmailMessage()
    msg["From"] = f"{AUTHOR} <amira@ledger.example>"
    msg["To"] = "Desk <desk@ledger.example>"
    msg["Cc"] = "Archive <archive@ledger.example>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = "<1@ledger.example>"
    paragraphs = paragraphs or PARAGRAPHS
    text = "\n\n".join(paragraphs)
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
    if html_only:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
    for name, mime, data in attachments or []:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def eml_broken_mime() -> bytes:
    """A mail that announces a multipart body whose boundary never appears."""
    return (b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Broken\r\nDate: Mon, 4 Mar 2024 09:30:00 +0000\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n"
            b"This text sits where the parts should be, and no --XYZ line ever comes.\r\n")


def mbox(messages: list[bytes]) -> bytes:
    """An mbox (mboxrd) of the given messages."""
    out = []
    for m in messages:
        body = m.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
        out.append(b"From analyst@ledger.example Mon Mar  4 09:30:00 2024\n" + body.rstrip(b"\n") + b"\n\n")
    return b"".join(out)


UNICODE_PARAGRAPH = ("Officials in Zürich and Genève said the “humanitarian corridor” — agreed in Doha — would "
                     "stay open; the café owners’ association welcomed the décision.")


def pdf_two_columns(pages: int = 4) -> bytes:
    """A two-column newsletter (platypus frames) with accented letters, curly quotes and dashes:
    reading order across columns is what it tests. `two_column_paragraphs` gives the text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    width, height = A4
    gap, margin = 18, 54
    col = (width - 2 * margin - gap) / 2
    frames = [Frame(margin, margin, col, height - 2 * margin, id="left"),
              Frame(margin + col + gap, margin, col, height - 2 * margin, id="right")]
    doc = BaseDocTemplate(out, pagesize=A4, title=TITLE, author=AUTHOR, invariant=True)
    doc.addPageTemplates([PageTemplate(id="two", frames=frames)])
    story = [Paragraph(p, styles["BodyText"]) for p in two_column_paragraphs(pages)]
    doc.build(story)
    return out.getvalue()


def two_column_paragraphs(pages: int = 4) -> list[str]:
    """The text of `pdf_two_columns`: about a page of paragraphs per page."""
    return (PARAGRAPHS + SECOND + [UNICODE_PARAGRAPH]) * (3 * pages)
