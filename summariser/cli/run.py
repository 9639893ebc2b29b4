"""`brief run`: briefs for a batch of documents."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from . import app
from .options import (
    BackendOpt,
    BlufModeOpt,
    BaseUrlOpt,
    ChunkOpt,
    ConfigOpt,
    MaxNewOpt,
    ModelOpt,
    OverlapOpt,
    SeedOpt,
    TempOpt,
    DtypeOpt,
    ThreadsOpt,
    build_settings,
)

EPILOG = """Examples:

  brief run seeds/000_2c347e933061e894.txt                 # Markdown brief to stdout

  brief run reports/ --out briefs/ --format both          # a folder; .md + .json per document

  brief run 'reports/**/*.pdf' notes.html --out briefs/    # globs and several paths

  brief run memo.docx message.eml inbox.mbox --out briefs/ # Word, e-mail (+ attachments), mailboxes

  brief run https://example.org/report.html                # a URL (http/https; 20 s timeout, 16 MiB cap)

  cat report.txt | brief run -                             # standard input

  brief run data.jsonl --text-field article --out briefs/  # one document per JSON line

  brief run reports/ --combine --out briefs/               # one brief over all documents, oldest first

Formats (sniffed from the bytes): .txt .md .rst, .html, .pdf, .docx, .eml, .mbox, .jsonl.
Re-running the same command skips briefs already in --out (use --force to redo them).
Outcomes are appended to OUT/run-log.jsonl. Exit code 1 if any document failed.
"""


@app.command(epilog=EPILOG)
def run(
    paths: list[str] = typer.Argument(..., help="Files (text, HTML, PDF, Word, e-mail, JSONL), folders, globs, URLs, or - for stdin."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the briefs (default: print to stdout)."),
    format: str = typer.Option("md", "--format", "-f", help="md | json | both."),
    combine: bool = typer.Option(False, "--combine", help="One brief over all documents (a pile of reports), dated ones oldest first."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL field naming the document."),
    force: bool = typer.Option(False, "--force", help="Redo briefs that already exist in --out."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
    model: Optional[str] = ModelOpt,
    backend: Optional[str] = BackendOpt,
    base_url: Optional[str] = BaseUrlOpt,
    config: Optional[Path] = ConfigOpt,
    max_new_tokens: Optional[int] = MaxNewOpt,
    temperature: Optional[float] = TempOpt,
    seed: Optional[int] = SeedOpt,
    chunk_tokens: Optional[int] = ChunkOpt,
    overlap: Optional[int] = OverlapOpt,
    threads: Optional[int] = ThreadsOpt,
    bluf_mode: Optional[str] = BlufModeOpt,
    dtype: Optional[str] = DtypeOpt,
) -> None:
    """Write a brief of each document (or one over all with --combine)."""
    from rich.console import Console

    from ..batch import formats_of, render, run_batch
    from ..errors import SummariserError
    from ..load import iter_documents
    from .progress import BatchProgress

    err = Console(stderr=True)
    if format not in ("md", "json", "both"):
        err.print(f"[red]error:[/] --format must be md, json or both, not {format!r}")
        raise typer.Exit(2)
    if out is None and format == "both":
        err.print("[red]error:[/] --format both needs --out (two files per document)")
        raise typer.Exit(2)
    try:
        settings = build_settings(config, model, backend, base_url, max_new_tokens, temperature, seed,
                                  chunk_tokens, overlap, threads, bluf_mode, dtype)
    except SummariserError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None

    summariser = None

    def make_brief(docs):  # the model loads on first use: a run where all is done loads nothing
        nonlocal summariser
        from ..pipeline import Summariser

        if summariser is None:
            with err.status("loading the model…"):
                summariser = Summariser(settings)
        return summariser.brief(docs, progress=progress.on_event)

    def show(outcome, brief) -> None:
        if out is None and brief is not None:
            text = render(brief, formats_of(format)[0])  # type: ignore[arg-type]
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()

    items = iter_documents(paths, text_field=text_field, id_field=id_field)
    started = time.perf_counter()
    counts = {"done": 0, "failed": 0, "skipped": 0}
    progress = BatchProgress(err, enabled=not quiet)
    interrupted = False
    try:
        with progress:
            for outcome in run_batch(items, make_brief, out, format, combine, force, on_brief=show):  # type: ignore[arg-type]
                counts[outcome.status] += 1
                progress.document_done(outcome)
    except KeyboardInterrupt:
        interrupted = True
    except SummariserError as exc:  # e.g. the model is missing: nothing can be briefed
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    seconds = time.perf_counter() - started
    summary = (f"{counts['done']} done, {counts['failed']} failed, {counts['skipped']} skipped "
               f"in {seconds:.1f} s")
    err.print(("[yellow]interrupted:[/] " if interrupted else "") + summary
              + (f"; log: {out / 'run-log.jsonl'}" if out else ""))
    if interrupted:
        raise typer.Exit(130)
    if counts["failed"]:
        raise typer.Exit(1)
