"""The Gradio web demo: the same pipeline as the CLI, in a browser.

One model load shared by all requests (backends are cached per process); a queue runs one brief
at a time, so concurrent users wait their turn instead of fighting over two CPU cores.
"""

from __future__ import annotations

import os
import queue
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .brief import Brief
from .config import Settings
from .errors import Cancelled, SummariserError
from .load import DEFAULT_MAX_BYTES, Document, LoadFailure, _finish, iter_documents
from .render import to_json, to_markdown

MAX_FILES = 10
MAX_FILE_MB = 10
MAX_CHARS = 2_000_000
ROOT = Path(__file__).resolve().parents[1]


def documents_from(text: str | None, files: list[Any] | None) -> list[Document]:
    """Documents from pasted text and uploads; raises `SummariserError` with a message for the page."""
    docs: list[Document] = []
    if files:
        if len(files) > MAX_FILES:
            raise SummariserError(f"at most {MAX_FILES} files at once (got {len(files)})")
        paths = [str(getattr(f, "name", f)) for f in files]
        for item in iter_documents(paths, max_bytes=min(DEFAULT_MAX_BYTES, MAX_FILE_MB * 1024 * 1024)):
            if isinstance(item, LoadFailure):
                raise SummariserError(f"{Path(item.name).name}: {item.reason}")
            docs.append(item)
    if text and text.strip():
        if len(text) > MAX_CHARS:
            raise SummariserError(f"pasted text is {len(text):,} characters; the limit is {MAX_CHARS:,}")
        docs.insert(0, _finish("pasted text", text))
    if not docs:
        raise SummariserError("paste a document or upload a file first")
    return docs


def actor_rows(brief: Brief) -> list[list[str]]:
    """The key actors as table rows."""
    return [[a.name, a.type, a.role, a.evidence.text] for a in brief.key_actors]


def highlight(text: str, brief: Brief, limit: int = 20_000) -> list[tuple[str, str | None]]:
    """The source split into pieces, each actor mention labelled with its type (for HighlightedText)."""
    text = text[:limit]
    names = {a.name: a.type for a in brief.key_actors}
    for name, kind in list(names.items()):
        last = name.split()[-1]
        if kind == "person" and len(name.split()) > 1 and last not in names:
            names[last] = kind  # 'Erdogan' after 'Recep Tayyip Erdogan'
    if not names:
        return [(text, None)]
    # Whole words only: 'Armenia' must not light up inside 'Armenian'.
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b")
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], None))
        pieces.append((match.group(), names[match.group()]))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def rouge_table(bluf: str, reference: str) -> str:
    """ROUGE-1/2/L of the BLUF against a reference, as Markdown."""
    from .evaluation.scoring import rouge

    scores = rouge(bluf, reference, ["rouge1", "rouge2", "rougeL"])
    rows = "\n".join(
        f"| {name} | {100 * s.precision:.1f} | {100 * s.recall:.1f} | {100 * s.fmeasure:.1f} |"
        for name, s in scores.items()
    )
    return "| BLUF vs reference | P | R | F1 |\n|---|---|---|---|\n" + rows


def latest_results() -> str:
    """The published evaluation tables from eval/results/ as Markdown."""
    folder = ROOT / "eval" / "results"
    parts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*/summary.md"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("ablation-*.md"))]
    return "\n\n".join(parts) or "No published results yet: run `brief eval --suite frank-cnndm`."


def result_plots() -> list[str]:
    """Plot images of the published runs."""
    return [str(p) for p in sorted((ROOT / "eval" / "results").glob("*/plots/*.png"))]


class BriefJob:
    """One brief running in a worker thread, reporting progress through a queue; cancellable."""

    def __init__(self, settings: Settings, docs: list[Document]) -> None:
        self.settings = settings
        self.docs = docs
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from .pipeline import Summariser

        try:
            summariser = Summariser(self.settings)
            brief = summariser.brief(
                self.docs, progress=lambda e: self.events.put(("progress", e)), should_stop=self.cancel.is_set
            )
            self.events.put(("brief", brief))
        except Cancelled:
            self.events.put(("cancelled", None))
        except SummariserError as exc:
            self.events.put(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - shown on the page, the server keeps serving
            self.events.put(("error", f"internal error: {exc.__class__.__name__}: {exc}"))

    def start(self) -> BriefJob:
        self.thread.start()
        return self


def build_app(settings: Settings, models: list[str] | None = None) -> Any:
    """The Blocks app. `models` are the choices offered (the first is the default)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from an offline tool
    import gradio as gr

    choices = list(dict.fromkeys([settings.model.name, *(models or [])]))
    seeds = sorted((ROOT / "seeds").glob("*.txt"))

    def run(text, files, model, chunk_tokens, max_new_tokens, temperature, seed, reference, job_state):
        started = time.perf_counter()
        try:
            docs = documents_from(text, files)
        except SummariserError as exc:
            raise gr.Error(str(exc)) from None
        chosen = settings.model_copy(deep=True)
        chosen.model.name = model or settings.model.name
        chosen.chunking.chunk_tokens = int(chunk_tokens) if chunk_tokens else None
        chosen.generation.max_new_tokens = int(max_new_tokens)
        chosen.generation.temperature = float(temperature)
        chosen.generation.seed = int(seed)
        job = BriefJob(chosen, docs).start()
        job_state = job
        notes: list[str] = []
        status = "Loading the model…"
        yield {status_md: status, notes_md: "", job_box: job_state}
        while True:
            try:
                kind, payload = job.events.get(timeout=0.5)
            except queue.Empty:
                elapsed = time.perf_counter() - started
                yield {status_md: f"{status} · {elapsed:.0f} s"}
                continue
            elapsed = time.perf_counter() - started
            if kind == "progress":
                if payload.stage == "note":
                    notes.append(payload.detail)
                    yield {notes_md: "\n\n".join(f"- {n}" for n in notes)}
                    continue
                status = f"**{payload.stage}**: {payload.done} of {payload.total} model calls"
                yield {status_md: f"{status} · {elapsed:.1f} s"}
            elif kind == "cancelled":
                yield {status_md: f"Cancelled after {elapsed:.1f} s."}
                return
            elif kind == "error":
                raise gr.Error(payload)
            elif kind == "brief":
                brief: Brief = payload
                folder = Path(tempfile.mkdtemp(prefix="brief-"))
                md_path, json_path = folder / "brief.md", folder / "brief.json"
                md_path.write_text(to_markdown(brief), encoding="utf-8")
                json_path.write_text(to_json(brief), encoding="utf-8")
                source_text = "\n\n".join(d.text for d in docs)
                yield {
                    status_md: f"Done in {elapsed:.1f} s ({sum(s.chunks for s in brief.sources)} chunk(s)).",
                    brief_md: to_markdown(brief, actors=False),  # actors get their own table
                    actors_df: actor_rows(brief),
                    highlight_box: highlight(source_text, brief),
                    md_file: str(md_path),
                    json_file: str(json_path),
                    scores_md: rouge_table(brief.bluf, reference) if reference and reference.strip() else "",
                }
                return

    def cancel(job_state):
        if job_state is not None:
            job_state.cancel.set()
        return "Cancelling…"

    with gr.Blocks(title="summariser: briefs of documents") as app:
        gr.Markdown("# summariser\nIntelligence-style briefs of documents with a local open model (CPU, offline).")
        job_box = gr.State(None)
        with gr.Tab("Brief"):
            with gr.Row():
                with gr.Column(scale=3):
                    text_in = gr.Textbox(label="Paste a document", lines=12, max_lines=30, elem_id="doc-text")
                    files_in = gr.File(
                        label=f"…or upload up to {MAX_FILES} files (.txt .md .html .pdf, {MAX_FILE_MB} MB each)",
                        file_count="multiple",
                        file_types=[".txt", ".md", ".html", ".htm", ".pdf"],
                    )
                    if seeds:
                        gr.Examples([[p.read_text(encoding="utf-8")] for p in seeds], inputs=[text_in],
                                    label="Examples (seeds/)")
                    reference_in = gr.Textbox(label="Reference summary (optional): ROUGE of the BLUF against it",
                                              lines=2)
                    with gr.Accordion("Settings", open=False):
                        model_in = gr.Dropdown(choices, value=choices[0], label="Model")
                        chunk_in = gr.Number(value=0, precision=0, label="Chunk size in tokens (0 = automatic)")
                        max_new_in = gr.Slider(16, 512, value=settings.generation.max_new_tokens, step=8,
                                               label="Max new tokens per model call")
                        temp_in = gr.Slider(0.0, 1.5, value=settings.generation.temperature, step=0.05,
                                            label="Temperature (0 = greedy)")
                        seed_in = gr.Number(value=settings.generation.seed, precision=0, label="Seed")
                    with gr.Row():
                        go = gr.Button("Write brief", variant="primary", elem_id="brief-button")
                        stop = gr.Button("Cancel", variant="stop", elem_id="cancel-button")
                with gr.Column(scale=4):
                    status_md = gr.Markdown("Ready.", elem_id="status")
                    notes_md = gr.Markdown(label="Partial notes", elem_id="notes")
                    brief_md = gr.Markdown(elem_id="brief")
                    scores_md = gr.Markdown(elem_id="scores")
                    actors_df = gr.Dataframe(headers=["Actor", "Type", "Role", "Source sentence"],
                                             label="Key actors", elem_id="actors", wrap=True)
                    highlight_box = gr.HighlightedText(label="Where the actors appear in the source",
                                                       show_legend=True, elem_id="highlight")
                    with gr.Row():
                        md_file = gr.File(label="Markdown")
                        json_file = gr.File(label="JSON")
        with gr.Tab("Evaluation"):
            gr.Markdown(latest_results())
            plots = result_plots()
            if plots:
                gr.Gallery(plots, label="Plots of the published runs", columns=3)
        event = go.click(
            run,
            inputs=[text_in, files_in, model_in, chunk_in, max_new_in, temp_in, seed_in, reference_in, job_box],
            outputs=[status_md, notes_md, brief_md, actors_df, highlight_box, md_file, json_file, scores_md, job_box],
            concurrency_limit=1,
            concurrency_id="model",
        )
        stop.click(cancel, inputs=[job_box], outputs=[status_md], queue=False)
        del event
    app.queue(default_concurrency_limit=1, max_size=32)
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, models: list[str] | None = None,
          block: bool = True) -> Any:
    """Start the demo (bound to localhost unless told otherwise; never shared publicly)."""
    from .backends.base import get_backend

    get_backend(settings.model)  # load the model now, not on the first visitor's click
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
    )
    return app
