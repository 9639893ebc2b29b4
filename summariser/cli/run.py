"""`brief run`: briefs for a batch of documents, in this process or on a Ray cluster."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from .app import app
from .options import (
    FollowLinksOpt,
    MaxMbOpt,
    ModelOptions,
    OutputFormat,
    ParseTimeoutOpt,
    RayCommand,
    RayCpusOpt,
    RayOpt,
    RayWorkersOpt,
    check_model_file,
    start_ray,
    with_model_options,
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

  brief run reports/ --out briefs/ --ray                   # spread over a local Ray instance

  brief run reports/ --out briefs/ --ray 10.0.0.5:6379     # ... or a running Ray cluster

Re-running the same command skips documents already briefed with the same settings (--force redoes
them); a brief is never overwritten by another document's. The output folder is never read as
input. Outcomes, including what was skipped and why, are appended to OUT/run-log.jsonl.
Exit code 1 if any document failed, 2 for a usage, model or output-folder error.

Formats (sniffed from the bytes): .txt .md .rst, .html, .pdf, .docx, .eml, .mbox, .jsonl.
"""


@app.command(cls=RayCommand, epilog=EPILOG)
@with_model_options
def run(
    paths: list[str] = typer.Argument(..., help="Files (text, HTML, PDF, Word, e-mail, JSONL), folders, globs, URLs, or - for stdin."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the briefs (default: print to stdout)."),
    format: OutputFormat = typer.Option(OutputFormat.md, "--format", "-f", help="md: Markdown | json | both (needs --out)."),
    combine: bool = typer.Option(False, "--combine", help="One brief over all documents (a pile of reports), dated ones oldest first."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL field naming the document."),
    force: bool = typer.Option(False, "--force", help="Redo briefs that already exist in --out."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
    follow_links: Optional[bool] = FollowLinksOpt,
    parse_timeout: Optional[float] = ParseTimeoutOpt,
    max_mb: Optional[float] = MaxMbOpt,
    ray: Optional[str] = RayOpt,
    ray_workers: Optional[int] = RayWorkersOpt,
    ray_cpus: int = RayCpusOpt,
    options: ModelOptions = ModelOptions(),
) -> None:
    """Write a brief of each document (or one over all with --combine)."""
    from rich.console import Console
    from rich.markup import escape

    from ..batch import LocalExecutor, OutputFolder, Tally, formats_of, lazy_brief, render, run_batch, settings_key
    from ..errors import OutputError, SummariserError
    from ..load import iter_documents
    from .progress import BatchProgress

    err = Console(stderr=True, soft_wrap=True)  # one error, one line: never wrapped at 80 columns
    fmt = OutputFormat(format).value
    if out is None and fmt == "both":
        err.print("[red]error:[/] --format both needs --out (two files per document)")
        raise typer.Exit(2)
    try:
        settings = options.settings(load={"follow_links": follow_links, "parse_timeout_s": parse_timeout,
                                          "max_mb": max_mb})
        check_model_file(settings)
    except SummariserError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None

    brief_fn = lazy_brief(settings, loading=lambda: err.status("loading the model…"))

    def make_brief(docs):  # the model loads on first use: a run where all is done loads nothing
        return brief_fn(docs, progress=progress.on_event)

    def show(outcome, brief) -> None:
        if out is None and brief is not None:
            text = render(brief, formats_of(fmt)[0])  # type: ignore[arg-type]
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()

    started = time.perf_counter()
    tally = Tally()
    progress = BatchProgress(err, enabled=not quiet)
    interrupted = False
    folder = OutputFolder(out) if out else None
    cluster = None
    try:
        if folder:
            folder.open()
        load = settings.load
        items = iter_documents(paths, text_field=text_field, id_field=id_field, max_bytes=load.max_bytes,
                               follow_links=load.follow_links, parse_timeout_s=load.parse_timeout_s,
                               parse_memory_mb=load.parse_memory_mb,
                               out_dir=folder.root if folder else None, written=folder.written if folder else None)
        executor = LocalExecutor(make_brief)
        if ray:
            cluster = start_ray(err, settings, ray, ray_workers, ray_cpus)
            executor = cluster  # type: ignore[assignment]
        with progress:
            for outcome in run_batch(items, None, folder, fmt, combine, force, on_brief=show,  # type: ignore[arg-type]
                                     executor=executor, settings=settings_key(settings)):
                tally.add(outcome)
                progress.document_done(outcome)
    except KeyboardInterrupt:
        interrupted = True
    except OutputError as exc:  # the output folder cannot be used or written: stop, nothing half-written
        err.print(f"[red]error:[/] {escape(str(exc))}")
        if sum(tally.status.values()) and out is not None:  # an OutputError comes from the output folder
            err.print(escape(tally.line(time.perf_counter() - started) + f"; log: {out / 'run-log.jsonl'}"))
        raise typer.Exit(2) from None
    except SummariserError as exc:  # e.g. the model is missing: nothing can be briefed
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    finally:
        if cluster is not None:
            cluster.close()
        if folder:
            folder.close()
    summary = tally.line(time.perf_counter() - started)
    err.print(("[yellow]interrupted:[/] " if interrupted else "") + escape(summary
              + (f"; log: {out / 'run-log.jsonl'}" if out else "")))
    if interrupted:
        raise typer.Exit(130)
    if tally.status["failed"]:
        raise typer.Exit(1)
