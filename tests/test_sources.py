"""Metadata and pages reach the brief; a folder mixing every format briefs in one batch."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from summariser.batch import run_batch
from summariser.load import Document, LoadFailure, iter_documents, load_file
from summariser.render import to_markdown
from summariser.sources import by_date, page_of

from . import makers as m


def doc(name: str, text: str = "Some text here.", **meta: object) -> Document:
    return Document(id=name, name=name, text=text, meta=dict(meta))


def test_page_of_finds_the_page_a_sentence_starts_on_whatever_its_spacing():
    text = "Page one opens here.\n\nIt ends with a sentence that\nruns on. Page two starts.\n\nPage three."
    d = doc("r.pdf", text, pages=[0, text.index("Page two"), text.index("Page three")])
    assert page_of(d, "Page one opens here.") == 1
    assert page_of(d, "It ends with a sentence that runs on.") == 1
    assert page_of(d, "Page two starts.") == 2 and page_of(d, "Page three.") == 3
    assert page_of(d, "Not in the text.") is None
    assert page_of(doc("a.txt", text), "Page two starts.") is None  # no pages: no page


def test_by_date_puts_dated_documents_in_order_and_undated_last_as_given():
    docs = [doc("u1"), doc("late", date="2024-03-07T10:00:00+02:00"), doc("u2"), doc("day", date="2024-03-05"),
            doc("early", date="2000-01-01T00:00:00+00:00"), doc("same-day-later", date="2024-03-05T08:00:00Z")]
    assert [d.name for d in by_date(docs)] == ["early", "day", "same-day-later", "late", "u1", "u2"]


def test_citations_give_the_pdf_page_they_stand_on(tiny, tmp_path: Path):
    path = tmp_path / "report.pdf"
    path.write_bytes(m.pdf_report(4))
    document = load_file(path)
    brief = tiny.brief(document)
    offsets = document.meta["pages"]
    ends = offsets[1:] + [len(document.text)]
    cited = [c for j in brief.key_judgments for c in j.citations] + [a.evidence for a in brief.key_actors]
    assert cited
    for c in cited:
        page_text = " ".join(document.text[offsets[c.page - 1] : ends[c.page - 1]].split())
        assert c.text in page_text
    assert f"report.pdf §{cited[0].sentence}, p. {cited[0].page}" in to_markdown(brief)
    source = brief.sources[0]
    assert (source.title, source.author, source.source) == (m.TITLE, m.AUTHOR, str(path))
    assert source.date == "2000-01-01T00:00:00+00:00"


def mixed_folder(root: Path) -> Path:
    folder = root / "pile"
    folder.mkdir()
    (folder / "notes.txt").write_text("Field notes. The convoy reached the crossing at dawn and waited for clearance.")
    (folder / "summary.md").write_text("# Summary\n\nTalks in Cairo resumed on Wednesday with both delegations present.")
    (folder / "page.html").write_bytes(m.html_page())
    (folder / "report.pdf").write_bytes(m.pdf_report(2))
    (folder / "report.docx").write_bytes(m.docx_report())
    (folder / "mail.eml").write_bytes(m.eml_message(
        [("brief.txt", "text/plain", b"Attached: the convoy schedule for the coming week was agreed.")],
        subject="Convoy update", date=datetime(2024, 3, 6, 12, 0, tzinfo=timezone.utc)))
    (folder / "inbox.mbox").write_bytes(m.mbox([
        m.eml_message(subject="Day five", date=datetime(2024, 3, 5, 8, 0, tzinfo=timezone.utc)),
        m.eml_message(subject="Day seven", date=datetime(2024, 3, 7, 8, 0, tzinfo=timezone.utc)),
    ]))
    (folder / "rows.jsonl").write_text(json.dumps({"id": "row-1", "text": "A ceasefire monitor was appointed.",
                                                   "title": "Monitor named", "date": "2024-03-08"}) + "\n")
    (folder / "broken.docx").write_bytes(m.docx_report()[:3000])
    return folder


EXPECTED = {  # name: (format, title, author, date prefix)
    "broken.docx": None,
    "inbox.mbox:1": ("eml", "Day five", m.AUTHOR, "2024-03-05T08:00"),
    "inbox.mbox:2": ("eml", "Day seven", m.AUTHOR, "2024-03-07T08:00"),
    "mail.eml": ("eml", "Convoy update", m.AUTHOR, "2024-03-06T12:00"),
    "mail.eml:brief.txt": ("text", None, None, "2024-03-06T12:00"),
    "notes.txt": ("text", None, None, None),
    "page.html": ("html", m.TITLE, m.AUTHOR, "2024-03-04"),
    "report.docx": ("docx", m.TITLE, m.AUTHOR, "2024-03-04T09:30"),
    "report.pdf": ("pdf", m.TITLE, m.AUTHOR, "2000-01-01"),
    "row-1": (None, "Monitor named", None, "2024-03-08"),
    "summary.md": ("text", None, None, None),
}


def test_a_folder_mixing_every_format_loads_with_the_right_text_and_metadata(tmp_path: Path):
    items = list(iter_documents([str(mixed_folder(tmp_path))]))
    assert sorted(i.name.rsplit("/", 1)[-1] for i in items) == sorted(EXPECTED)
    for item in items:
        name = item.name.rsplit("/", 1)[-1]
        if EXPECTED[name] is None:
            assert isinstance(item, LoadFailure) and "truncated or corrupt .docx" in item.reason
            continue
        fmt, title, author, date = EXPECTED[name]
        assert (item.meta.get("format"), item.meta.get("title")) == (fmt, title)
        assert author is None or author in item.meta["author"]
        assert date is None or item.meta["date"].startswith(date)
        assert "<" not in item.text and "Restricted" not in item.text and "cookies" not in item.text
    texts = {i.name: i.text for i in items if isinstance(i, Document)}
    assert m.PARAGRAPHS[1] in texts["page.html"] and m.PARAGRAPHS[1] in texts["report.docx"]
    assert texts["mail.eml:brief.txt"].startswith("Attached: the convoy schedule")


def test_the_mixed_folder_briefs_in_one_batch_with_metadata_in_the_sources(tiny, tmp_path: Path):
    folder = mixed_folder(tmp_path)
    out = tmp_path / "briefs"
    outcomes = list(run_batch(iter_documents([str(folder)]), tiny.brief, out, "json"))
    assert sorted(o.status for o in outcomes) == ["done"] * 10 + ["failed"]
    for outcome in outcomes:
        if outcome.status != "done":
            continue
        source = json.loads(Path(outcome.outputs[0]).read_text())["sources"][0]
        fmt, title, author, date = EXPECTED[outcome.name.rsplit("/", 1)[-1]]
        assert source["title"] == title
        assert author is None or author in source["author"]
        assert (source["date"] or "").startswith(date or "")
    # --combine: one brief whose sources run from the oldest document to the newest, undated last.
    [combined] = [o for o in run_batch(iter_documents([str(folder)]), tiny.brief, out, "json", combine=True)
                  if o.status == "done"]
    sources = json.loads(Path(combined.outputs[0]).read_text())["sources"]
    dated = [s["date"] for s in sources if s["date"]]
    assert len(dated) == 8 and dated == sorted(dated, key=lambda d: datetime.fromisoformat(d).replace(
        tzinfo=datetime.fromisoformat(d).tzinfo or timezone.utc))
    assert [s["document"] for s in sources[8:]] == ["notes.txt", "summary.md"]


def test_markdown_sources_show_title_author_date_and_url():
    from summariser.brief import Brief, Provenance, Source

    brief = Brief(
        title="t", bluf="b", key_judgments=[], key_actors=[], implications=[],
        sources=[Source(document="https://x.example/a", id="1", words=10, chunks=1, title="A page",
                        author="Ann Author", date="2024-03-04T09:30:00+00:00", source="https://x.example/b"),
                 Source(document="notes.txt", id="2", words=5, chunks=1)],
        provenance=Provenance(model="m", backend="hf", settings={}, seconds=0.0, version="0"),
    )
    text = to_markdown(brief)
    assert "- https://x.example/a: “A page”, Ann Author, 2024-03-04, <https://x.example/b> (10 words, 1 chunk)" in text
    assert "- notes.txt (5 words, 1 chunk)" in text
