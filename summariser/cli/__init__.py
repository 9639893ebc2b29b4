"""The `brief` command line: one module per command, all calling the library API."""

from __future__ import annotations

import typer

from .. import __version__

app = typer.Typer(
    name="brief",
    help="Intelligence-style briefs of documents with a local open model.\n\n"
    "Example: brief run report.pdf --out briefs/",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"summariser {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Intelligence-style briefs of documents with a local open model."""


from . import demo as _demo  # noqa: E402,F401  (registers `brief demo`)
from . import eval as _eval  # noqa: E402,F401  (registers `brief eval`)
from . import run as _run  # noqa: E402,F401  (registers `brief run`)


def main() -> None:
    """Entry point of the `brief` script."""
    app()
