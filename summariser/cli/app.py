"""The `brief` Typer app and its root options; each command module adds itself to it."""

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
