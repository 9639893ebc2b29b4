"""`brief eval`: run an evaluation suite; `brief eval compare`: paired comparison of two runs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..evaluation.results import OURS
from .app import app
from .options import (
    ModelOptions,
    RayCpusOpt,
    RayGroup,
    RayOpt,
    RayWorkersOpt,
    check_model_file,
    start_ray,
    with_model_options,
)

EPILOG = """Examples:

  brief eval --suite seed-smoke                         # 3 documents, a quick check

  brief eval --suite frank-cnndm --limit 20             # first 20 CNN/DM articles

  brief eval --data my.jsonl --text-field body --ref-field summary

  brief eval compare runs/frank-cnndm-a runs/frank-cnndm-b

  brief eval --suite frank-cnndm --ray                  # briefs spread over a local Ray instance

Briefs are cached by document, model and settings (~/.cache/summariser/briefs): re-scoring never
regenerates, and an interrupted run resumes where it stopped. Suites live in eval/suites/ (shipped
in the package); the FRANK suites read ${SUMMARISER_DATA} (default: ../shared/data beside a checkout).
"""

eval_app = typer.Typer(help="Score briefs against reference summaries (ROUGE, baselines, peers, CIs).",
                       invoke_without_command=True, epilog=EPILOG, cls=RayGroup)
app.add_typer(eval_app, name="eval")


@eval_app.callback()
@with_model_options
def evaluate(
    ctx: typer.Context,
    suite: Optional[str] = typer.Option(None, "--suite", "-s", help="Suite name in eval/suites/ or a TOML path."),
    data: Optional[Path] = typer.Option(None, "--data", help="Ad-hoc JSONL file instead of a suite."),
    text_field: str = typer.Option("article", "--text-field", help="With --data: field holding the document."),
    ref_field: str = typer.Option("reference", "--ref-field",
                                  help="With --data: reference field (a string or a list of strings)."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Only the first N documents."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Run folder (default: runs/SUITE-MODEL-SETTINGS)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Brief cache (default ~/.cache/summariser/briefs)."),
    ray: Optional[str] = RayOpt,
    ray_workers: Optional[int] = RayWorkersOpt,
    ray_cpus: int = RayCpusOpt,
    options: ModelOptions = ModelOptions(),
) -> None:
    """Run an evaluation suite and write per-document scores, a summary and an HTML report."""
    if ctx.invoked_subcommand:
        return
    import hashlib

    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..errors import SummariserError
    from ..evaluation.report import markdown_table
    from ..evaluation.runner import run_suite
    from ..evaluation.suites import adhoc_suite, load_suite
    from ..paths import default_cache_dir

    err = Console(stderr=True, soft_wrap=True)  # one error, one line: never wrapped at 80 columns
    cluster = None
    if (suite is None) == (data is None):
        err.print("[red]error:[/] give --suite NAME or --data FILE.jsonl (see brief eval --help)")
        raise typer.Exit(2)
    try:
        settings = options.settings()
        check_model_file(settings)
        chosen = load_suite(suite) if suite else adhoc_suite(data, text_field, ref_field, limit)  # type: ignore[arg-type]
        if limit:
            chosen = chosen.model_copy(update={"limit": limit})
        tag = hashlib.sha256(settings.model_dump_json(exclude={"load"}).encode()).hexdigest()[:8]
        model_slug = Path(settings.model.name).stem.replace(" ", "_")
        run_dir = out or Path("runs") / f"{chosen.name}-{model_slug}-{tag}" / (f"n{chosen.limit}" if chosen.limit else "all")
        if ray:
            cluster = start_ray(err, settings, ray, ray_workers, ray_cpus)
        with Progress(TextColumn("briefs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TimeRemainingColumn(), TextColumn("{task.description}"), console=err) as bar:
            task = bar.add_task("", total=None)
            result = run_suite(
                chosen, settings, run_dir, cache_dir or default_cache_dir() / "briefs",
                on_progress=lambda done, total, how: bar.update(task, completed=done, total=total, description=how),
                executor=cluster,
            )
    except SummariserError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("[yellow]interrupted:[/] briefs made so far are cached; re-run the same command to resume")
        raise typer.Exit(130) from None
    finally:
        if cluster is not None:
            cluster.close()
    typer.echo(markdown_table(result.summary))
    for failure in result.failures:
        where = failure.get("id") or f"line {failure.get('line')}"
        err.print(f"[yellow]not scored:[/] {escape(str(where))}: {escape(str(failure['error']))}")
    written = ", ".join(sorted(p.name for p in run_dir.iterdir() if p.is_file()))
    err.print(f"run folder: {run_dir} ({written})")


@eval_app.command("report")
def report(run: Path = typer.Argument(..., help="Run folder to rebuild the reports of.")) -> None:
    """Rebuild summary.md, report.html and plots/ of a run from its per-document scores."""
    from ..evaluation.runner import rewrite_reports

    try:
        rewrite_reports(run)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo((run / "summary.md").read_text(encoding="utf-8"))


@eval_app.command("compare")
def compare(
    run_a: Path = typer.Argument(..., help="Run folder A (the baseline)."),
    run_b: Path = typer.Argument(..., help="Run folder B (the change)."),
    system: str = typer.Option(OURS, "--system", help="Which system's scores to compare."),
    system_b: Optional[str] = typer.Option(None, "--system-b", help="System in run B (default: same as --system)."),
) -> None:
    """Paired bootstrap of B - A on the documents both runs scored: is the difference significant?"""
    from ..evaluation.compare import compare_runs

    try:
        table = compare_runs(run_a, run_b, system, system_b or system)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(table)
