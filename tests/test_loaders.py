"""Each document format, read from generated files whose true text is known (tests/makers.py)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from summariser.errors import DocumentError
from summariser.load import Document, LoadFailure, load_documents, load_file
from summariser.loaders import detect, docx as docx_loader, parse, read_all
from summariser.loaders.base import clean_text, iso_date

from . import makers as m


def one_line_error(call) -> str:  # noqa: ANN001
    with pytest.raises(DocumentError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


# -- the registry: the bytes decide -------------------------------------------------------------
@pytest.mark.parametrize(
    "data, name, expected",
    [
        (lambda: m.pdf_report(1), "report.txt", "pdf"),
        (lambda: m.docx_report(), "report.bin", "docx"),
        (lambda: m.html_page(), "page.txt", "html"),
        (lambda: m.eml_message(), "mail.txt", "eml"),
        (lambda: m.mbox([m.eml_message()]), "box", "mbox"),
        (lambda: b"Plain notes.\nSecond line.", "notes.md", "text"),
        (lambda: b"<p>A fragment of a page</p>", "fragment.html", "html"),
    ],
)
def test_the_content_decides_the_format_not_the_name(data, name, expected):
    assert detect(data(), name).name == expected


def test_a_file_named_for_a_binary_format_without_its_signature_is_refused():
    message = one_line_error(lambda: parse(m.html_page(), "report.pdf"))
    assert "not a PDF" in message
    assert "not a DOCX" in one_line_error(lambda: parse(b"just text", "report.docx"))


@pytest.mark.parametrize(
    "data, says",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy Office"),
        (b"{\\rtf1\\ansi Hello}", "RTF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "image"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_formats_we_do_not_read_say_what_they_are(data, says):
    assert says in one_line_error(lambda: parse(data, "upload.doc"))


# -- web pages ---------------------------------------------------------------------------------
def test_web_page_gives_the_article_only_with_its_metadata():
    page = parse(m.html_page(), "page.html")
    for para in m.PARAGRAPHS + m.SECOND:
        assert para in blocks(page.text)
    for furniture in m.PAGE_FURNITURE:
        assert furniture not in page.text
    assert blocks(page.text)[0] == m.TITLE and m.SECOND_HEADING in blocks(page.text)
    assert page.meta["headings"] == [m.TITLE, m.SECOND_HEADING]
    assert (page.meta["title"], page.meta["author"], page.meta["date"]) == (m.TITLE, m.AUTHOR, "2024-03-04")
    assert page.meta["site"] == "The Daily Ledger" and page.meta["extraction"] == "article (trafilatura)"


def test_page_without_an_article_falls_back_to_its_visible_text():
    html = b"<html><body><nav>Menu</nav><ul><li>Alpha report</li><li>Beta memo</li></ul><script>x()</script></body></html>"
    page = parse(html, "list.html")
    assert "Alpha report" in page.text and "Beta memo" in page.text and "x()" not in page.text
    assert page.meta["extraction"].startswith("visible text")


# -- PDF ---------------------------------------------------------------------------------------
def test_pdf_keeps_pages_drops_furniture_joins_hyphens_and_finds_headings():
    pages = 3
    parsed = parse(m.pdf_report(pages), "report.pdf")
    text, offsets = parsed.text, parsed.meta["pages"]
    assert len(offsets) == pages and offsets[0] == 0 and offsets == sorted(offsets)
    assert clean_text(text) == text  # so the offsets still hold in the Document
    ends = offsets[1:] + [len(text)]
    for n, (heading, paras) in enumerate(m.page_texts(pages)):
        page_text = text[offsets[n] : ends[n]]
        assert page_text.startswith(heading)  # the heading opens its own page
        for para in paras:  # each paragraph whole, on one line, on its own page
            assert para in blocks(page_text)
        word = textwrap.wrap(paras[0], 85)[1].split()[0]  # the word split across lines 1-2
        assert re.search(rf"\b{re.escape(word)}\b", page_text) and f"{word[: max(2, len(word) // 2)]}-" not in page_text
    assert "Restricted" not in text and "Page 1" not in text and "of 3" not in text
    assert parsed.meta["headings"] == [h for h, _ in m.page_texts(pages)]
    assert (parsed.meta["title"], parsed.meta["author"]) == (m.TITLE, m.AUTHOR)
    assert iso_date(parsed.meta["date"]) == parsed.meta["date"]


def test_pdf_without_title_or_author_has_none_rather_than_placeholders():
    meta = parse(m.pdf_report(1, title=None, author=None), "bare.pdf").meta
    assert "title" not in meta and "author" not in meta  # reportlab writes 'untitled' and 'anonymous'


def test_pdf_from_a_layout_engine_gives_paragraphs_and_headings():
    parsed = parse(m.pdf_platypus(3), "report.pdf")
    assert parsed.meta["page_count"] >= 3
    assert "Restricted" not in parsed.text
    assert [h for h in parsed.meta["headings"] if h.startswith("Chapter")] == [
        f"Chapter {n}: {m.SECOND_HEADING}" for n in (1, 2, 3)
    ]
    found = blocks(parsed.text)
    for para in m.PARAGRAPHS + m.SECOND:
        assert para in found


@pytest.mark.parametrize(
    "make, says",
    [
        (m.pdf_scanned, "no text layer (scanned?)"),
        (m.pdf_encrypted, "encrypted"),
        (lambda: m.pdf_report(2)[:900], "unreadable PDF"),
        (lambda: b"%PDF-1.4\n garbage \n%%EOF", "unreadable PDF"),
    ],
)
def test_bad_pdfs_get_a_clear_one_line_error(make, says):
    assert says in one_line_error(lambda: parse(make(), "bad.pdf"))


# -- Word --------------------------------------------------------------------------------------
def test_docx_reads_headings_paragraphs_tables_and_accepted_changes():
    parsed = parse(m.docx_report(), "report.docx")
    found = blocks(parsed.text)
    assert found[0] == m.TITLE and m.SECOND_HEADING in found
    for para in m.PARAGRAPHS + m.SECOND:
        assert para in found
    assert "Day | Trucks\nMonday | 40\nTuesday | 60" in found
    assert "The convoy safely reached the city before nightfall." in found  # insertion kept
    assert "dangerously" not in parsed.text  # deletion dropped
    assert "UNRWA" not in parsed.text  # comments left out
    assert parsed.meta["headings"] == [m.TITLE, m.SECOND_HEADING]
    assert (parsed.meta["title"], parsed.meta["author"]) == (m.TITLE, m.AUTHOR)
    assert parsed.meta["date"].startswith("2024-03-04T09:30")


def test_docx_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = m.zip_bomb(300)  # 300 MB of zeros in about 300 KB
    assert len(bomb) < 1_000_000
    assert "zip bomb" in one_line_error(lambda: parse(bomb, "bomb.docx"))


def test_docx_size_cap_is_the_declared_total(monkeypatch):
    monkeypatch.setattr(docx_loader, "MAX_UNZIPPED_BYTES", 2 * 1024 * 1024)
    assert "over the 2 MiB limit" in one_line_error(lambda: parse(m.zip_bomb(3), "small-bomb.docx"))
    assert parse(m.docx_report(), "fine.docx").text  # a real report stays far under


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda: m.docx_report()[:4000], "truncated or corrupt .docx"),
        (lambda: m.zip_of({"data.csv": b"a,b\n1,2\n"}), "not a Word document"),
        (lambda: m.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}), "Word document"),
    ],
)
def test_broken_docx_gets_a_clear_one_line_error(make, says):
    assert says in one_line_error(lambda: parse(make(), "bad.docx"))


# -- e-mail ------------------------------------------------------------------------------------
def test_mail_headers_body_and_attachments_each_become_documents():
    mail = m.eml_message([
        ("report.pdf", "application/pdf", m.pdf_report(2)),
        ("../../etc/notes.docx", "application/octet-stream", m.docx_report()),
        ("logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ])
    items = read_all(mail, "mail.eml")
    assert [i.name for i in items] == ["mail.eml", "mail.eml:report.pdf", "mail.eml:notes.docx"]
    body = items[0].parsed
    assert blocks(body.text) == m.PARAGRAPHS
    assert body.meta["title"] == body.meta["subject"] == m.TITLE
    assert body.meta["author"] == body.meta["from"] == f"{m.AUTHOR} <amira@ledger.example>"
    assert body.meta["to"] == "Desk <desk@ledger.example>" and body.meta["cc"] == "Archive <archive@ledger.example>"
    assert body.meta["date"] == "2024-03-04T09:30:00+00:00"
    assert body.meta["skipped"] == ["logo.png: unsupported file type, an image (PNG): run OCR on it first"]
    pdf, word = items[1].parsed, items[2].parsed
    assert pdf.meta["format"] == "pdf" and pdf.meta["part_of"] == "mail.eml" and m.PARAGRAPHS[0] in pdf.text
    assert word.meta["format"] == "docx" and "Day | Trucks" in word.text


def test_attachment_without_a_date_of_its_own_takes_the_mails():
    mail = m.eml_message([("notes.txt", "text/plain", b"The convoy left at dawn and arrived at noon.")])
    items = read_all(mail, "mail.eml")
    assert items[1].parsed.meta["date"] == items[0].parsed.meta["date"] == "2024-03-04T09:30:00+00:00"


def test_html_only_mail_is_read_like_a_page():
    body = read_all(m.eml_message(html_only=True), "mail.eml")[0].parsed
    assert blocks(body.text) == m.PARAGRAPHS and "<p>" not in body.text


def test_mail_with_a_broken_mime_tree_is_a_clear_error():
    assert "broken MIME structure" in one_line_error(lambda: parse(m.eml_broken_mime(), "broken.eml"))


def test_a_broken_attachment_fails_alone(tmp_path: Path):
    path = tmp_path / "mail.eml"
    path.write_bytes(m.eml_message([("bad.pdf", "application/pdf", m.pdf_report(1)[:500])]))
    out = load_documents(path)
    assert isinstance(out[0], Document) and out[0].text.startswith(m.PARAGRAPHS[0])
    assert isinstance(out[1], LoadFailure) and out[1].name == "mail.eml:bad.pdf" and "unreadable PDF" in out[1].reason
    assert load_file(path).name == "mail.eml"


def test_mbox_gives_one_document_per_message_with_attachments_after_their_mail(tmp_path: Path):
    first = m.eml_message(subject="First")
    second = m.eml_message([("a.pdf", "application/pdf", m.pdf_report(1))], subject="Second")
    third = m.eml_message(subject="Third", paragraphs=[m.PARAGRAPHS[0], "From here on, talks resume."])
    path = tmp_path / "inbox.mbox"
    path.write_bytes(m.mbox([first, second, third]))
    docs = load_documents(path)
    assert [d.name for d in docs] == ["inbox.mbox:1", "inbox.mbox:2", "inbox.mbox:2:a.pdf", "inbox.mbox:3"]
    assert [d.meta.get("title") for d in docs if d.meta["format"] == "eml"] == ["First", "Second", "Third"]
    assert "From here on, talks resume." in docs[3].text  # the mboxrd '>From ' escape is undone
    assert all(d.meta["source"] == str(path) for d in docs)


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ("D:20240304093000+01'00'", "2024-03-04T09:30:00+01:00"),
        ("D:20240304", "2024-03-04"),
        ("Mon, 04 Mar 2024 09:30:00 +0000", "2024-03-04T09:30:00+00:00"),
        ("2024-03-04", "2024-03-04"),
        ("2024-03-04T09:30:00Z", "2024-03-04T09:30:00+00:00"),
        ("next Tuesday", None),
        ("D:2024133", None),
        (None, None),
    ],
)
def test_iso_date_reads_the_forms_documents_use(value, expected):
    assert iso_date(value) == expected


# -- untrusted bytes never crash a loader ------------------------------------------------------
PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"From: a@b.example\nSubject: x\n\n", b"<!DOCTYPE html><html>",
            b"From x@y Mon Mar  4 09:30:00 2024\nFrom: a@b.example\nSubject: y\n\n",
            b"Content-Type: multipart/mixed; boundary=b\nFrom: a@b\nSubject: z\n\n--b\n"]


def _read_or_refuse(data: bytes, name: str) -> None:
    try:
        items = read_all(data, name)
    except DocumentError as exc:
        assert "\n" not in str(exc)
        return
    for item in items:
        assert (item.parsed is None) != (item.error is None)
        if item.parsed is not None:
            assert isinstance(item.parsed.text, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PREFIXES), st.binary(max_size=1500), st.sampled_from(["x.pdf", "x.docx", "x.eml", "x.html", "x"]))
def test_any_bytes_give_documents_or_a_document_error(prefix: bytes, data: bytes, name: str):
    _read_or_refuse(prefix + data, name)


_VALID = {}


def _valid(kind: str) -> bytes:
    if kind not in _VALID:
        _VALID[kind] = {"pdf": lambda: m.pdf_report(1), "docx": m.docx_report,
                        "eml": lambda: m.eml_message([("a.pdf", "application/pdf", m.pdf_report(1))]),
                        "html": m.html_page}[kind]()
    return _VALID[kind]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["pdf", "docx", "eml", "html"]), st.data())
def test_damaged_files_give_documents_or_a_document_error(kind: str, data):
    good = bytearray(_valid(kind))
    for _ in range(data.draw(st.integers(0, 8))):  # flip a few bytes
        at = data.draw(st.integers(0, len(good) - 1))
        good[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(good)))  # and maybe cut the tail off
    _read_or_refuse(bytes(good[:cut]), f"damaged.{kind}")


def test_two_column_pdf_keeps_every_paragraph_in_reading_order():
    # Paragraphs repeat, so the same line opens a column at the same height on several pages:
    # it is body text, not a running header (no gap parts it from the text below).
    parsed = parse(m.pdf_two_columns(4), "news.pdf")
    assert blocks(parsed.text) == m.two_column_paragraphs(4)
