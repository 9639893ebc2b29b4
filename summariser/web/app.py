"""The Gradio page: inputs on the left with the button and its progress, results on the right.

Each visitor's request is a `BriefJob` (a worker thread); the page starts it at once (`start`,
outside the queue, so the button and the progress react at the click), then follows it
(`watch`, a generator that redraws the progress from the job's status). One model load is
shared by all visitors, and one brief runs at a time (`model_lock`); the others show that they wait.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio loads: no calls home from an offline tool
import gradio as gr  # noqa: E402 - after the setting above

from ..config import Settings
from ..errors import ConfigError, SummariserError
from ..paths import resource
from .downloads import write_downloads
from .evaluation_tab import evaluation_intro, plot_figures, result_tables
from .jobs import FILE_KINDS, FILE_TYPES, MAX_FILE_MB, MAX_FILES, BriefJob, Status
from .views import live_text, notes_html, previous_html, progress_html, results_html

STATIC = Path(__file__).resolve().parent / "static"
RESULTS = resource("eval", "results")  # published results: the package's copy, or the checkout's
SEEDS = resource("seeds")
TICK = 0.25  # seconds between redraws of the progress while a job runs

MODES = {
    "auto": "Automatic: chosen for the model (a small model like the default extracts; 1B+ models write)",
    "extract": "Extract: the key sentences as written (fastest, no model writing)",
    "compress": "Compress: the model shortens each key sentence (slower; each shortening is checked)",
    "abstract": "Abstract: the model summarises each passage, then merges the notes (slowest; grows with length)",
}
COMBINE = ["A brief of each", "One combined brief"]
EMPTY_RESULTS = '<p class="placeholder">The brief will appear here.</p>'


def mode_hints(results: Path = RESULTS) -> dict[str, str]:
    """Each mode's label with its measured cost (eval/results/ablation-*.json), when published."""
    hints = dict(MODES)
    try:
        import json

        rows = json.loads(next(iter(sorted(results.glob("ablation-*.json")))).read_text(encoding="utf-8"))
    except (StopIteration, OSError, ValueError):
        return hints
    measured = {mode: rows.get(mode) for mode in ("extract", "compress", "abstract")}
    for mode, row in measured.items():
        if isinstance(row, dict) and "seconds" in row:
            hints[mode] += f"; about {row['seconds']:.1f} s per news article for the bottom line"
    return hints


def choose_settings(base: Settings, mode: str, model: str | None, chunk_tokens: Any, max_new_tokens: Any,
                    temperature: Any, seed: Any) -> Settings:
    """The page's choices applied to the server's settings, validated like a config file."""
    data = base.model_dump()
    data["model"]["name"] = model or base.model.name
    data["brief"]["bluf_mode"] = mode if mode in MODES else base.brief.bluf_mode
    data["chunking"]["chunk_tokens"] = int(chunk_tokens) if chunk_tokens else None
    data["generation"]["max_new_tokens"] = int(max_new_tokens)
    data["generation"]["temperature"] = float(temperature)
    data["generation"]["seed"] = int(seed or 0)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        labels = {"chunking.chunk_tokens": "Passage length must be 0 (automatic) or at least 64 tokens"}
        raise ConfigError(labels.get(where, f"invalid setting {where}: {first['msg']}")) from None


def rouge_scores(bluf: str, reference: str) -> dict[str, tuple[float, float, float]]:
    """ROUGE-1/2/L of the BLUF against a reference: name -> (precision, recall, F1), x100."""
    from ..evaluation.scoring import rouge

    scores = rouge(bluf, reference, ["rouge1", "rouge2", "rougeL"])
    names = {"rouge1": "ROUGE-1 (words)", "rouge2": "ROUGE-2 (word pairs)", "rougeL": "ROUGE-L (longest common run)"}
    return {names[k]: (100 * s.precision, 100 * s.recall, 100 * s.fmeasure) for k, s in scores.items()}


def build_app(settings: Settings, models: list[str] | None = None) -> Any:
    """The Blocks app. `models` are the choices offered (the first is the default)."""
    choices = list(dict.fromkeys([settings.model.name, *(models or [])]))
    seeds = sorted(SEEDS.glob("*.txt"))
    jobs: dict[str, BriefJob] = {}  # one job per browser session
    model_lock = threading.Lock()  # one brief at a time on the shared model
    downloads_root = Path(tempfile.mkdtemp(prefix="summariser-web-"))
    folders: dict[str, Path] = {}  # each session's latest download folder
    hints = mode_hints()
    # The page offers the three modes; a server set to 'auto' shows the one its model is given.
    default_mode = settings.brief.bluf_mode
    if default_mode not in hints:
        from ..backends.base import get_backend
        from ..backends.capability import resolve_brief

        default_mode = resolve_brief(settings.brief, get_backend(settings.model)).bluf_mode

    def session(request: Any) -> str:
        return getattr(request, "session_hash", None) or "anonymous"

    def idle_buttons() -> tuple[Any, Any]:
        return gr.update(interactive=True), gr.update(interactive=False, value="Cancel")

    def start(text, files, combine, mode, model, chunk_tokens, max_new_tokens, temperature, seed, previous,
              request: gr.Request):
        key = session(request)
        running = jobs.get(key)
        if running is not None and not running.finished:
            return {}  # a second click while running (the button is already disabled)
        try:
            chosen = choose_settings(settings, mode, model, chunk_tokens, max_new_tokens, temperature, seed)
        except ConfigError as exc:
            failed = Status(state="error", error=str(exc), started=time.perf_counter())
            failed.finished = failed.started
            jobs.pop(key, None)
            return {progress_box: progress_html(failed), live_box: live_text(failed)}
        job = BriefJob(chosen, text, files, combine=combine == COMBINE[1], model_lock=model_lock).start()
        jobs[key] = job
        status = job.status()
        old, old_files = (previous or {}).get("html", ""), (previous or {}).get("files") or None
        go_state, stop_state = gr.update(interactive=False), gr.update(interactive=True, value="Cancel")
        return {
            progress_box: progress_html(status, chosen.brief.bluf_mode),
            live_box: live_text(status, chosen.brief.bluf_mode),
            results_box: previous_html(old, "A new brief is being written; it will replace this one.") or EMPTY_RESULTS,
            files_box: gr.update(value=old_files, label="Downloads of the previous brief", visible=bool(old_files)),
            notes_box: gr.update(value="", visible=False),
            go: go_state,
            stop: stop_state,
        }

    def watch(previous, reference, request: gr.Request):
        key = session(request)
        job = jobs.get(key)
        if job is None:
            return
        mode = job.settings.brief.bluf_mode
        shown: dict[str, Any] = {}
        last_draw = 0.0
        try:
            while True:
                status = job.status()
                if status.state in ("done", "cancelled", "error"):
                    break
                now = time.perf_counter()
                update: dict[Any, Any] = {}
                for box, value in ((live_box, live_text(status, mode)), (notes_box, notes_html(status.notes))):
                    if shown.get(str(box.elem_id)) != value:
                        shown[str(box.elem_id)] = value
                        update[box] = gr.update(value=value, visible=bool(value)) if box is notes_box else value
                if update or now - last_draw >= 0.5:  # the elapsed time moves even when nothing else does
                    update[progress_box] = progress_html(status, mode, now)
                    last_draw = now
                    yield update
                time.sleep(TICK)
            try:
                final = finish(key, status, previous or {}, reference)
            except Exception as exc:  # noqa: BLE001 - the page must come back to a usable state
                broken = Status(state="error", error=f"internal error: {exc.__class__.__name__}: {exc}",
                                started=status.started, finished=status.finished)
                final = finish(key, broken, previous or {}, None)
            yield final
        finally:
            if not job.finished:
                job.request_cancel()  # the page was closed or reloaded: free the model for others
            if jobs.get(key) is job:
                jobs.pop(key, None)

    def finish(key: str, status: Status, previous: dict[str, Any], reference: str | None) -> dict[Any, Any]:
        go_state, stop_state = idle_buttons()
        common = {progress_box: progress_html(status), live_box: live_text(status), go: go_state, stop: stop_state,
                  notes_box: gr.update(value="", visible=False)}
        briefs = [o.brief for o in status.outcomes if o.brief is not None]
        if not briefs:  # nothing new: keep the previous result, marked as such
            what = "was cancelled" if status.state == "cancelled" else "failed (see the message beside the button)"
            why = f"The last run {what}; this is the brief from the run before."
            old_files = previous.get("files") or None
            return {**common, results_box: previous_html(previous.get("html", ""), why) or EMPTY_RESULTS,
                    files_box: gr.update(value=old_files, label="Downloads of the previous brief",
                                         visible=bool(old_files))}
        compare = bool(reference and reference.strip()) and len(briefs) == 1
        scores = rouge_scores(briefs[0].bluf, reference) if compare and reference else None
        html = results_html(status.outcomes, scores)
        folder = downloads_root / f"{key}-{time.time_ns()}"
        paths = [str(p) for p in write_downloads(briefs, folder)]
        if key in folders:  # the session's earlier files are replaced now
            shutil.rmtree(folders[key], ignore_errors=True)
        folders[key] = folder
        return {**common, results_box: html, files_box: gr.update(value=paths, label="Downloads", visible=True),
                state_box: {"html": html, "files": paths}}

    def cancel(request: gr.Request):
        job = jobs.get(session(request))
        if job is None or job.finished:
            return {}
        job.request_cancel()
        status = job.status()
        mode = job.settings.brief.bluf_mode
        return {progress_box: progress_html(status, mode), live_box: live_text(status, mode),
                stop: gr.update(interactive=False, value="Cancelling…")}

    def leave(request: gr.Request):
        key = session(request)
        job = jobs.pop(key, None)
        if job is not None and not job.finished:
            job.request_cancel()
        if key in folders:
            shutil.rmtree(folders.pop(key), ignore_errors=True)

    # delete_cache: Gradio's copies of uploads and downloads older than an hour go, hourly.
    with gr.Blocks(title="summariser: briefs of documents", delete_cache=(3600, 3600)) as app:
        gr.HTML('<header class="page-head"><h1>summariser</h1><p>Intelligence-style briefs of documents, written by '
                "a small open model on this computer (no internet).</p></header>", js_on_load=None)
        state_box = gr.State({})
        with gr.Tab("Brief", elem_id="brief-tab"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=5, min_width=300, elem_id="inputs"):
                    # A fixed height (the text scrolls inside) keeps the button and its progress in view.
                    text_in = gr.Textbox(label="Paste a document", lines=8, max_lines=8, elem_id="doc-text",
                                         placeholder="Paste a report, an article or notes here…")
                    files_in = gr.File(
                        label=f"…or upload up to {MAX_FILES} files ({FILE_KINDS}; {MAX_FILE_MB} MB each)",
                        file_count="multiple", file_types=FILE_TYPES, height=150, elem_id="doc-files",
                    )
                    combine_in = gr.Radio(COMBINE, value=COMBINE[0], elem_id="combine",
                                          label="With several documents (a paste counts as one)")
                    with gr.Row(elem_id="actions"):
                        go = gr.Button("Write brief", variant="primary", elem_id="brief-button", scale=3, min_width=120)
                        stop = gr.Button("Cancel", variant="secondary", interactive=False, elem_id="cancel-button",
                                         scale=1, min_width=90)
                    progress_box = gr.HTML(progress_html(None), elem_id="progress", js_on_load=None)
                    live_box = gr.HTML("Ready.", elem_id="status-live", elem_classes=["sr-only"], js_on_load=None)
                    if seeds:
                        gr.Examples([[p.read_text(encoding="utf-8")] for p in seeds], inputs=[text_in],
                                    label="Try an example (a news report)")
                    with gr.Accordion("Compare with a reference summary (optional)", open=False):
                        reference_in = gr.Textbox(
                            label="Reference summary", lines=3, elem_id="reference",
                            info="If a person has summarised the document, paste it to see how many words the "
                                 "brief's bottom line shares with it (ROUGE).",
                        )
                    with gr.Accordion("Settings", open=False, elem_id="settings"):
                        mode_in = gr.Radio([(label, key) for key, label in hints.items()],
                                           value=default_mode, label="How the bottom line is written",
                                           elem_id="mode")
                        model_in = gr.Dropdown(choices, value=choices[0], label="Model")
                        chunk_in = gr.Number(value=0, precision=0, minimum=0, label="Passage length in tokens",
                                             elem_id="chunk-tokens",
                                             info="Long texts are read in passages of this many tokens (word pieces); "
                                                  "0 picks a size that fits the model.")
                        max_new_in = gr.Slider(16, 512, value=settings.generation.max_new_tokens, step=8,
                                               label="Longest model answer, in tokens", elem_id="max-new")
                        temp_in = gr.Slider(0.0, 1.5, value=settings.generation.temperature, step=0.05,
                                            label="Temperature (0 = always the same answer)")
                        seed_in = gr.Number(value=settings.generation.seed, precision=0, minimum=0, label="Seed",
                                            info="The same text, settings and seed give the same brief.")
                with gr.Column(scale=7, min_width=300, elem_id="results-column"):
                    notes_box = gr.HTML("", visible=False, elem_id="notes", js_on_load=None)
                    results_box = gr.HTML(EMPTY_RESULTS, elem_id="results", js_on_load=None)
                    files_box = gr.File(label="Downloads", file_count="multiple", interactive=False,
                                        elem_id="downloads", visible=False)
        with gr.Tab("Evaluation", elem_id="evaluation-tab"):
            gr.HTML(evaluation_intro(RESULTS), js_on_load=None)
            tables = result_tables(RESULTS)
            if tables:
                gr.HTML(tables, elem_id="eval-tables", js_on_load=None)
            figures = plot_figures(RESULTS, lambda p: f"/gradio_api/file={p}")
            if figures:
                gr.HTML(figures, js_on_load=None)

        inputs = [text_in, files_in, combine_in, mode_in, model_in, chunk_in, max_new_in, temp_in, seed_in, state_box]
        live_outputs = [progress_box, live_box, results_box, files_box, notes_box, go, stop]
        go.click(start, inputs=inputs, outputs=live_outputs, queue=False, show_progress="hidden",
                 api_name="start").then(
            watch, inputs=[state_box, reference_in], outputs=[*live_outputs, state_box], show_progress="hidden",
            concurrency_limit=None, api_name="watch",
        )
        stop.click(cancel, outputs=[progress_box, live_box, stop], queue=False, show_progress="hidden",
                   api_name="cancel")
        app.unload(leave)
    app.queue(max_size=32)
    app.downloads_root = downloads_root  # removed by serve's caller via close_app
    return app


def launch_options() -> dict[str, Any]:
    """Theme, CSS and JS of the page (Gradio 6 takes them at launch)."""
    # System fonts: nothing to fetch (the tool runs offline) and every glyph from one face.
    theme = gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        neutral_hue=gr.themes.colors.slate,
        font=["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    ).set(
        # The default subdued grey (hints, slider ends, '- or -') is 2.6:1 on white; WCAG AA needs 4.5:1.
        body_text_color_subdued="*neutral_600",
        body_text_color_subdued_dark="*neutral_300",
        # Links (e.g. the downloads): the default blue is 4.0:1 on the dark theme's panels.
        link_text_color="*primary_700",
        link_text_color_visited="*primary_800",
        link_text_color_dark="*primary_300",
        link_text_color_visited_dark="*primary_200",
        link_text_color_hover_dark="*primary_200",
        link_text_color_active_dark="*primary_200",
    )
    return {
        "theme": theme,
        "css": (STATIC / "page.css").read_text(encoding="utf-8"),
        "js": (STATIC / "page.js").read_text(encoding="utf-8"),
        "allowed_paths": [str(RESULTS)],
    }


def warm_up(settings: Settings) -> None:
    """Brief a seed document once, unseen: the first brief of a process pays one-off costs
    (kernel selection, caches of the fixed prompt turns) that the first visitor should not."""
    from ..load import Document
    from ..pipeline import Summariser

    seed = next(iter(sorted(SEEDS.glob("*.txt"))), None)
    if seed is None:
        return
    try:
        Summariser(settings).brief(Document("warm-up", seed.name, seed.read_text(encoding="utf-8")))
    except SummariserError:
        pass  # e.g. a model server that is down: the first visitor gets the message on the page


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, models: list[str] | None = None,
          block: bool = True) -> Any:
    """Start the demo (bound to localhost unless told otherwise; never shared publicly)."""
    from ..backends.registry import get_backend
    from ..nlp import load_spacy

    # Load now what the first click would otherwise wait for: the model, spaCy, and matplotlib
    # (Gradio imports it on the first event of a process: about 2 s on a busy 2-core machine).
    get_backend(settings.model)
    load_spacy()
    import matplotlib

    matplotlib.get_backend()
    warm_up(settings)
    app = build_app(settings, models)
    app.launch(
        server_name=host,
        server_port=port,
        share=False,
        max_file_size=f"{MAX_FILE_MB}mb",
        prevent_thread_lock=not block,
        ssr_mode=False,
        quiet=not block,
        show_error=True,
        **launch_options(),
    )
    return app


def close_app(app: Any) -> None:
    """Stop the server and remove the download files it wrote."""
    app.close()
    shutil.rmtree(getattr(app, "downloads_root", ""), ignore_errors=True)
