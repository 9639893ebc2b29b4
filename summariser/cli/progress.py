"""Progress bars for batches: documents, and model calls within the current document."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..batch import Outcome
from ..pipeline import ProgressEvent


class BatchProgress:
    """Two bars on stderr; failed documents are printed as one line each as they happen."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.console = console
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
            transient=False,
        )
        self.docs = self.bar.add_task("documents", total=None)
        self.steps = self.bar.add_task("model calls", total=None)

    def __enter__(self) -> BatchProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.bar.__exit__(kind, exc, tb)

    def on_event(self, event: ProgressEvent) -> None:
        """Pipeline progress for the current document."""
        label = "model calls" if event.stage == "done" else event.stage
        self.bar.update(self.steps, completed=event.done, total=event.total, description=f"{label:<11}")

    def document_done(self, outcome: Outcome) -> None:
        """Advance the document bar; report a failure, or an input left alone, on its own line."""
        self.bar.advance(self.docs)
        # Names and reasons come from untrusted input: escaped, so '[/]' in a file name is text, not markup.
        if outcome.status == "failed":
            self.console.print(f"[red]failed:[/] {escape(outcome.name)}: {escape(outcome.error or '')}")
        elif outcome.status == "skipped" and outcome.kind not in ("already briefed", "duplicate"):
            self.console.print(f"[yellow]skipped:[/] {escape(outcome.name)}: {escape(outcome.reason or '')}")
