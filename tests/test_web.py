"""The web demo without a browser: inputs, jobs (progress, cancel, several documents), the HTML
views, downloads and the Evaluation tab's plain summary. The page itself: test_web_browser.py."""

from __future__ import annotations

import html
import re
import time
import zipfile
from pathlib import Path

import pytest

from summariser.errors import SummariserError
from summariser.load import Document, LoadFailure
from summariser.web import BriefJob, documents_from
from summariser.web.downloads import file_stem, write_downloads
from summariser.web.evaluation_tab import plain_summary
from summariser.web.jobs import Outcome, Status
from summariser.web.views import Anchors, brief_html, live_text, mark_text, progress_html, results_html, source_html


@pytest.fixture(scope="module")
def seed_brief(tiny, seed_text):
    return tiny.brief(Document("s", "seed.txt", seed_text))


def _wait(job: BriefJob, timeout: float = 300) -> Status:
    job.thread.join(timeout)
    assert not job.thread.is_alive()
    return job.status()


def _text_of(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, hidden screen-reader labels too)."""
    fragment = re.sub(r'<span class="sr-only">.*?</span>', "", fragment)
    fragment = re.sub(r'<span class="cite-tag">.*?</span> ', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# -- inputs ----------------------------------------------------------------------------------
def test_inputs_keep_page_order_and_unreadable_files_become_failures(tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    (tmp_path / "ok.txt").write_text("Floods hit Kerala on Monday. The army sent boats.", encoding="utf-8")
    items = documents_from("Pasted words here.", [str(tmp_path / "bin.txt"), str(tmp_path / "ok.txt")])
    assert [type(i).__name__ for i in items] == ["Document", "LoadFailure", "Document"]
    assert isinstance(items[1], LoadFailure) and items[1].name == "bin.txt"  # the upload's name, not a temp path
    assert "binary" in items[1].reason  # the loader's own reason
    with pytest.raises(SummariserError, match="at most 10 files"):
        documents_from("", [str(tmp_path / "ok.txt")] * 11)
    with pytest.raises(SummariserError, match="paste a document or upload a file first"):
        documents_from("   \n ", None)


# -- jobs ------------------------------------------------------------------------------------
def test_two_documents_give_two_briefs_and_a_bad_one_does_not_stop_them(tiny_settings, seed_text, tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    (tmp_path / "kerala.txt").write_text(
        "Floods hit Kerala on Monday. The Indian Army sent 200 boats to rescue families in Alappuzha.",
        encoding="utf-8",
    )
    files = [str(tmp_path / "bin.txt"), str(tmp_path / "kerala.txt")]
    status = _wait(BriefJob(tiny_settings, seed_text, files).start())
    assert status.state == "done" and status.briefs == 2
    briefs = [o for o in status.outcomes if o.brief]
    assert [o.documents[0].name for o in briefs] == ["pasted text", "kerala.txt"]
    failed = [(o.name, o.error) for o in status.outcomes if o.error]
    assert [name for name, _ in failed] == ["bin.txt"] and "binary" in failed[0][1]

    combined = _wait(BriefJob(tiny_settings, seed_text, files, combine=True).start())
    together = [o for o in combined.outcomes if o.brief]
    assert combined.state == "done" and len(together) == 1
    assert [s.document for s in together[0].brief.sources] == ["pasted text", "kerala.txt"]


def test_nothing_readable_is_an_error_with_the_reason(tiny_settings, tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    status = _wait(BriefJob(tiny_settings, "", [str(tmp_path / "bin.txt")]).start())
    assert status.state == "error" and status.error.startswith("bin.txt: ") and "binary" in status.error
    assert not any(o.brief for o in status.outcomes)


def test_cancel_during_preparation_stops_between_chunks(tiny_settings, seed_text):
    settings = tiny_settings.model_copy(deep=True)
    settings.chunking.chunk_tokens = 64
    job = BriefJob(settings, seed_text * 12).start()
    seen: set[int] = set()
    while True:
        status = job.status()
        if status.stage == "prepare":
            seen.add(status.done)
        if len(seen) >= 3:  # the counts move during preparation
            break
        assert status.state not in ("done", "error")
        time.sleep(0.01)
    job.request_cancel()
    status = _wait(job, 30)
    assert status.state == "cancelled" and status.cancel_requested
    assert status.stage == "prepare" and status.done < status.total / 2  # no model call was made


def test_cancel_during_generation_stops_the_job(tiny_settings, seed_text):
    settings = tiny_settings.model_copy(deep=True)
    settings.chunking.chunk_tokens = 96
    settings.model.batch_size = 1
    settings.brief.bluf_mode = "abstract"  # one model call per chunk: plenty to cancel in between
    job = BriefJob(settings, seed_text * 6).start()
    while not (job.status().stage == "summarise" and job.status().done >= 1):
        assert not job.finished
        time.sleep(0.01)
    assert job.status().notes  # raw notes stream in as they are written
    job.request_cancel()
    status = _wait(job, 120)
    assert status.state == "cancelled"
    assert status.done < status.total  # stopped well before the end


def test_cancel_while_waiting_for_the_model_never_starts(tiny_settings, seed_text):
    import threading

    busy = threading.Lock()
    busy.acquire()  # another visitor's brief holds the model
    job = BriefJob(tiny_settings, seed_text, model_lock=busy).start()
    while job.status().state != "waiting":
        time.sleep(0.01)
    job.request_cancel()
    status = _wait(job, 10)
    assert status.state == "cancelled" and status.stage == "" and not status.outcomes
    busy.release()


def test_two_visitors_share_the_model_one_at_a_time(tiny_settings, seed_text):
    import threading

    lock = threading.Lock()
    first = BriefJob(tiny_settings, seed_text * 20, model_lock=lock).start()
    while first.status().state != "running":
        time.sleep(0.01)
    second = BriefJob(tiny_settings, seed_text, model_lock=lock).start()
    states = set()
    while not second.finished:
        states.add(second.status().state)
        time.sleep(0.01)
    assert "waiting" in states  # the second visitor sees that it waits for the first
    assert _wait(first).state == "done" and _wait(second).state == "done"


# -- views -----------------------------------------------------------------------------------
def test_progress_panel_shows_stage_bar_counts_and_time():
    running = Status(state="running", stage="prepare", done=41, total=116, detail="report.txt", briefs=2,
                     brief_index=1, started=0.0)
    panel = progress_html(running, "extract", now=75.0)
    assert "Finding sentences and names" in panel
    assert 'role="progressbar"' in panel and 'aria-valuenow="41"' in panel and 'aria-valuemax="116"' in panel
    assert "width:35.3%" in panel and "41 of 116 passages" in panel and "Brief 2 of 2" in panel
    assert "1 min 15 s" in panel
    assert "model calls" not in panel and "prepare" not in _text_of(panel)  # no jargon
    waiting = progress_html(Status(state="waiting", started=0.0), now=2.0)
    assert "Waiting" in waiting and "indeterminate" in waiting and "aria-valuenow" not in waiting
    cancelling = progress_html(Status(state="running", stage="summarise", done=1, total=5, cancel_requested=True,
                                      started=0.0), "abstract", now=3.0)
    assert "Cancelling" in cancelling and "1 of 5 model steps" in cancelling
    failed = progress_html(Status(state="error", error="paste a document <first>", started=0.0, finished=1.0))
    assert 'role="alert"' in failed and "paste a document &lt;first&gt;" in failed
    assert live_text(running, "extract") == "Finding sentences and names. Brief 2 of 2."


def test_untrusted_text_is_escaped_everywhere(tiny, tmp_path):
    evil = '<img src=x onerror="alert(1)"> Zakir Hasanov met <script>x()</script> Ali Naghiyev in Baku. ' * 3
    doc = Document("e", "<b>evil</b>.txt", evil)
    brief = tiny.brief(doc)
    page = results_html([Outcome([doc], brief=brief, name=doc.name)])
    assert "<img" not in page and "<script" not in page and "<b>evil" not in page
    assert "&lt;img src=x" in page


def test_source_view_flows_marks_by_pattern_and_links_every_citation(seed_brief, seed_text):
    doc = Document("s", "seed.txt", seed_text)
    page = brief_html(seed_brief, [doc])
    ids = set(re.findall(r'id="(b0-d0-s\d+)"', page))
    links = set(re.findall(r'href="#(b0-d0-s\d+)"', page))
    assert links and links <= ids  # every § citation links to its passage
    for actor in seed_brief.key_actors:
        assert f'href="#b0-d0-s{actor.evidence.sentence}"' in page
    source = source_html(seed_brief, [doc], Anchors(0, ("seed.txt",)))
    body = re.search(r'<div class="source-text"[^>]*>(.*)</div>', source, re.S).group(1)
    assert _text_of(body) == seed_text  # one flowing text, nothing lost or repeated
    person = next(a.name for a in seed_brief.key_actors if a.type == "person")
    hidden_label = '<span class="sr-only"> (person)</span>'
    assert f'<mark class="actor person" title="person">{person}{hidden_label}</mark>' in body
    for kind, css in (("person", "person"), ("organisation", "organisation"), ("state or place", "place")):
        assert f'<mark class="actor {css}">{kind}</mark>' in source  # the legend shows each mark's pattern
    assert "Armenia</mark>n" not in body  # whole words only


def test_marks_nest_inside_cited_sentences():
    text = "Alpha met Beta. Beta left Gamma City today."
    cited = {(16, len(text)): ("b0-d0-s1", "§ 1")}
    out = mark_text(text, {"Beta": "person", "Gamma City": "state or place"}, cited)
    assert _text_of(out) == text
    opened = re.findall(r"<(/?)(span|mark)\b", out)
    depth = 0
    for closing, _ in opened:  # well nested: never closes more than it opened
        depth += -1 if closing else 1
        assert depth >= 0
    assert depth == 0


def test_a_long_source_is_cut_with_a_note_and_later_citations_still_resolve(seed_brief, seed_text):
    doc = Document("s", "seed.txt", seed_text)
    cut = source_html(seed_brief, [doc], Anchors(0, ("seed.txt",)), limit=1000)
    assert "The text is cut here" in cut and f"of {len(seed_text):,} characters" in cut
    cited = {c.sentence for j in seed_brief.key_judgments for c in j.citations}
    cited |= {c.sentence for i in seed_brief.implications for c in i.citations}
    cited |= {a.evidence.sentence for a in seed_brief.key_actors}
    assert {int(i) for i in re.findall(r'id="b0-d0-s(\d+)"', cut)} == cited  # shown in place or after the note


def test_download_names_come_from_titles_and_several_briefs_get_a_zip(seed_brief, tmp_path):
    assert file_stem("Turkey and Azerbaijan conduct joint military manoeuvres in Nakhichevan") == (
        "turkey-and-azerbaijan-conduct-joint-military-manoeuvres-in-nakhichevan"
    )
    assert file_stem("Élysée: «Paris» / ../../etc") == "elysee-paris-etc"
    assert file_stem("!!!") == "brief"
    paths = write_downloads([seed_brief, seed_brief], tmp_path)
    stem = file_stem(seed_brief.title)
    assert [p.name for p in paths] == [f"{stem}.md", f"{stem}.json", f"{stem}-2.md", f"{stem}-2.json",
                                       "briefs-of-2-documents.zip"]
    with zipfile.ZipFile(paths[-1]) as zf:
        assert sorted(zf.namelist()) == sorted(p.name for p in paths[:-1])
    assert Path(paths[0]).read_text(encoding="utf-8").startswith(f"# {seed_brief.title}")


def test_evaluation_summary_says_what_the_numbers_say():
    from summariser.evaluation.results import RunSummary

    def stats(mean: float, half: float = 1.0) -> dict[str, float]:
        return {"mean": mean, "low": mean - half, "high": mean + half, "n": 10}

    summary = RunSummary(
        suite="demo", description="Ten test articles.", data="demo.jsonl", scored_part="bluf", documents=10,
        scored_documents=10, model="m", settings={}, version="0", generated_briefs=10, wall_seconds=1.0,
        generation_seconds=1.0, rouge="rouge", ci="ci",
        systems={
            "summariser": {"n": 10, "rouge1_f": stats(40.0), "entity_precision": stats(0.98, 0.01)},
            "lead-3": {"n": 10, "rouge1_f": stats(39.5)},
            "bart": {"n": 10, "rouge1_f": stats(45.0)},
            "pgn": {"n": 10, "rouge1_f": stats(38.0)},
        },
    ).to_json()  # as read from a summary.json
    text = _text_of(plain_summary(summary))
    assert "demo: 10 briefs scored" in text and "ROUGE-1 40.0 out of 100 (95% interval 39.0 to 41.0)" in text
    assert "(lead-3) scores 39.5: ours is about the same (+0.5 points; the 95% intervals overlap)" in text
    assert ("bart (BART-large, a neural summariser), scores 45.0: ours is lower (-5.0 points; the 95% intervals "
            "do not overlap)") in text
    assert "98% of the named things" in text
    # A suite scored otherwise (no ROUGE) is described, not given numbers it does not have.
    other = _text_of(plain_summary({"kind": "actors", "suite": "actors", "description": "Key actors of 61 articles."}))
    assert other == "actorsKey actors of 61 articles. Its scores are in the table of that name below."


def test_the_default_auto_mode_is_offered_and_the_job_reports_what_ran(tiny_settings, seed_text):
    from summariser.web.app import MODES, choose_settings

    assert tiny_settings.brief.bluf_mode == "auto" and "auto" in MODES  # the page can show the default
    chosen = choose_settings(tiny_settings, "auto", None, 0, 64, 0.0, 0)
    assert chosen.brief.bluf_mode == "auto"
    job = BriefJob(chosen, seed_text).start()
    status = _wait(job)
    assert status.state == "done"
    assert job.settings.brief.bluf_mode == "extract"  # a tiny model gets extract (backends/capability.py)
