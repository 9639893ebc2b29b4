"""The web demo on a free local port, driven by gradio_client (tiny model), and in a real browser."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest

from summariser.errors import SummariserError
from summariser.web import documents_from, highlight

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tiny_settings):
    from summariser.web import serve

    port = _free_port()
    settings = tiny_settings.model_copy(deep=True)
    app = serve(settings, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def _submit(url: str, text: str, files=None):
    from gradio_client import Client

    client = Client(url, verbose=False)
    model = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/run"]["parameters"][2][
        "parameter_default"
    ]  # the page's default model (the tiny one here)
    return client.predict(text, files, model, 0, 16, 0.0, 0, "", api_name="/run")


def test_brief_end_to_end_through_the_api(server, seed_text):
    status, notes, brief_md, actors, highlighted, md_file, json_file, scores = _submit(server, seed_text)
    assert status.startswith("Done in")
    assert "## Bottom line up front" in brief_md
    names = [row[0] for row in actors["data"]]
    assert "Recep Tayyip Erdogan" in names
    assert Path(md_file).read_text().startswith("# ")
    assert '"key_actors"' in Path(json_file).read_text()


def test_errors_are_shown_as_messages(server):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="paste a document"):
        _submit(server, "   ")


def test_two_clients_at_once_both_get_briefs(server, seed_text):
    results: list[str] = []
    errors: list[BaseException] = []

    def one(text: str) -> None:
        try:
            results.append(_submit(server, text)[0])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(t,)) for t in (seed_text, "Floods hit Kerala on Monday. "
                                                                 "The army sent 200 boats to rescue families.")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and len(results) == 2 and all(r.startswith("Done in") for r in results)


def test_upload_limits_and_unreadable_files(tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    with pytest.raises(SummariserError, match="binary"):
        documents_from("", [str(tmp_path / "bin.txt")])
    with pytest.raises(SummariserError, match="at most"):
        documents_from("", [str(tmp_path / "bin.txt")] * 11)


def test_highlight_marks_actor_mentions(tiny, seed_text):
    from summariser.load import Document

    brief = tiny.brief(Document("s", "s.txt", seed_text))
    pieces = highlight(seed_text, brief)
    assert "".join(p for p, _ in pieces) == seed_text
    assert ("Recep Tayyip Erdogan", "person") in pieces
    assert not any(text.startswith("n ") for text, label in pieces if label is None)  # no 'Armenia' in 'Armenian' 


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(_chromium() is None, reason="Debian chromium not installed (apt-get install chromium)")
def test_real_browser_pastes_the_seed_and_gets_a_brief(server, seed_text, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(server)
        page.locator("#doc-text textarea").fill(seed_text)
        page.locator("#brief-button").click()
        page.locator("#status").get_by_text("Done in").wait_for(timeout=120_000)
        cells = page.locator("#actors").get_by_text("Recep Tayyip Erdogan")
        assert cells.count() >= 1
        assert "Bottom line up front" in page.locator("#brief").inner_text()
        shot = tmp_path / "demo.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        browser.close()


def test_cancel_really_stops_the_job(tiny_settings, seed_text):
    from summariser.load import Document
    from summariser.web import BriefJob

    settings = tiny_settings.model_copy(deep=True)
    settings.chunking.chunk_tokens = 96
    settings.model.batch_size = 1
    settings.brief.bluf_mode = "abstract"  # one model call per chunk: plenty to cancel in between
    job = BriefJob(settings, [Document("long", "long.txt", seed_text * 6)]).start()
    events = []
    while True:
        kind, payload = job.events.get(timeout=120)
        events.append((kind, payload))
        if kind == "progress" and payload.stage == "summarise" and payload.done >= 1:
            job.cancel.set()
        if kind in ("brief", "cancelled", "error"):
            break
    assert kind == "cancelled"
    done = [p for k, p in events if k == "progress" and p.stage == "summarise"]
    assert done[-1].done < done[-1].total  # stopped well before the end
