"""`brief demo`: the Gradio web page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .options import ConfigOpt, build_settings


@app.command(epilog="Example: brief demo --port 7860   then open http://127.0.0.1:7860")
def demo(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (default: this machine only)."),
    port: int = typer.Option(7860, "--port", help="Port to serve on."),
    model: Optional[list[str]] = typer.Option(
        None, "--model", "-m", help="Model(s) offered on the page; the first is the default (repeatable)."
    ),
    config: Optional[Path] = ConfigOpt,
) -> None:
    """Serve the web demo: paste or upload documents, watch progress, download the brief."""
    from ..errors import SummariserError
    from ..web import serve

    try:
        settings = build_settings(config=config, model=model[0] if model else None)
    except SummariserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"serving on http://{host}:{port} (Ctrl-C to stop)", err=True)
    serve(settings, host, port, models=list(model or []))
