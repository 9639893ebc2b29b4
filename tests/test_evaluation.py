"""The suite runner on a small slice with the tiny random model."""

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.evaluation import metrics
from summariser.evaluation.baselines import get_baseline
from summariser.evaluation.results import RunSummary
from summariser.evaluation.runner import run_suite
from summariser.evaluation.suites import BadRow, Row, Suite, adhoc_suite, iter_rows, load_suite
from summariser.check import SourceIndex

from .conftest import frank_rows


def _write(tmp_path: Path, rows: list) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_shipped_suites_load_and_point_at_data():
    for name in ("frank-cnndm", "frank-xsum", "seed-smoke"):
        suite = load_suite(name)
        assert suite.data.name.endswith(".jsonl")
    assert load_suite("frank-xsum").baselines[0] == "lead-1"
    assert load_suite("seed-smoke").data.is_file()


def test_bad_rows_are_reported_not_fatal(tmp_path):
    path = _write(tmp_path, [
        {"id": "ok", "article": "A. B.", "reference": "A."},
        "{broken",
        {"id": "noref", "article": "Text here."},
        {"id": "emptyref", "article": "Text here.", "reference": "  "},
        {"id": "multi", "article": "Text.", "reference": ["One.", "Two."]},
    ])
    items = list(iter_rows(adhoc_suite(path, "article", "reference", None)))
    assert [i.id for i in items if isinstance(i, Row)] == ["ok", "multi"]
    assert [i.line for i in items if isinstance(i, BadRow)] == [2, 3, 4]
    assert [i for i in items if isinstance(i, Row)][1].references == ("One.", "Two.")


def test_baselines():
    text = "First sentence is here. Second one follows now. Third closes the story."
    assert get_baseline("lead-1")(text) == "First sentence is here."
    assert get_baseline("lead-2")(text).count(".") == 2
    with pytest.raises(ValueError, match="lead-N"):
        get_baseline("textrunk-3")


def test_side_metrics():
    src = SourceIndex("Angela Merkel met Emmanuel Macron in Paris.")
    assert metrics.entity_precision(src, "Merkel met Macron.") == 1.0
    assert metrics.entity_precision(src, "Merkel met Boris Johnson in London.") < 1.0
    assert metrics.novel_ngrams("a b c d", "a b x") == 0.5
    assert metrics.compression("one two three four", "one two") == 2.0
    assert metrics.actor_grounding(src, ["Angela Merkel", "Olaf Scholz"]) == 0.5


def test_brief_fields_are_read_one_by_one_for_entity_precision():
    src = SourceIndex("Robert Downey Jr played Iron Man in the film.")
    # Joined, the name and its role read as one entity the source does not contain.
    assert metrics.entity_precision(src, "Robert Downey Jr Iron Man") == 0.0
    assert metrics.entity_precision(src, ["Robert Downey Jr", "Iron Man"]) == 1.0


def test_run_scores_ours_baselines_and_peers_on_the_same_documents(tmp_path, tiny_settings, tiny):
    rows = frank_rows("frank-cnndm", 3)
    rows.insert(1, {"id": "bad", "article": "", "reference": "x"})
    path = _write(tmp_path, rows)
    suite = Suite(name="slice", data=path, baselines=["lead-3"])
    cache = tmp_path / "cache"
    calls = []

    def make(doc):
        calls.append(doc.id)
        return tiny.brief(doc)

    result = run_suite(suite, tiny_settings, tmp_path / "run", cache, make_brief=make)
    systems = result.scores.systems
    assert {"summariser", "lead-3", "bart", "pgn"} <= set(systems)
    assert all(s.n == 3 for s in systems.values())
    assert result.failures == [{"line": 2, "error": "missing or empty text field 'article'", "stage": "data"}]
    for name in ("per_document.jsonl", "per_document.csv", "summary.json", "summary.md", "report.html"):
        assert (tmp_path / "run" / name).stat().st_size > 0
    assert "data:image/png;base64" in (tmp_path / "run" / "report.html").read_text()
    assert sorted(p.name for p in (tmp_path / "run" / "plots").iterdir()) == [
        "distribution.png", "length.png", "systems.png"
    ]
    assert systems["summariser"].mean("actor_grounding") == 1.0
    # summary.json is the typed summary as written, and reads back as the same model.
    written = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert RunSummary.model_validate(written) == result.scores
    assert written["systems"]["summariser"]["rouge1_f"] == systems["summariser"].get("rouge1_f").model_dump()
    assert "kind" not in written and written["rouge"].startswith(f"rouge-score {version('rouge-score')},")
    assert written["ci"] == f"95% percentile bootstrap over documents, {suite.bootstrap_samples} resamples, fixed seed"
    # A second run re-scores from the cache without generating anything.
    again = run_suite(suite, tiny_settings, tmp_path / "run2", cache, make_brief=make)
    assert len(calls) == 3 and again.scores.generated_briefs == 0
    assert again.scores.systems["summariser"] == systems["summariser"]


def test_cli_eval_and_compare(tmp_path, tiny_model_dir):
    rows = frank_rows("frank-cnndm", 2)
    path = _write(tmp_path, rows)
    args = ["eval", "--data", str(path), "--model", str(tiny_model_dir), "--max-new-tokens", "8",
            "--cache-dir", str(tmp_path / "c")]
    a = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert a.exit_code == 0, a.output
    assert "| **summariser** |" in a.stdout and "lead-3" in a.stdout
    cmp = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "a"),
                                   "--system-b", "lead-3"])
    assert cmp.exit_code == 0, cmp.output
    assert "| rouge1_f |" in cmp.stdout and "paired over 2 documents" in cmp.stdout
    missing = CliRunner().invoke(app, ["eval", "--suite", "no-such-suite"])
    assert missing.exit_code == 2 and "known suites" in missing.output


def test_interrupted_eval_resumes_from_the_cache(tmp_path, tiny_settings, tiny):
    path = _write(tmp_path, frank_rows("frank-cnndm", 3))
    suite = Suite(name="slice", data=path, baselines=["lead-3"])
    cache = tmp_path / "cache"
    made = []

    def flaky(doc):
        if len(made) == 2:
            raise KeyboardInterrupt  # Ctrl-C during the third brief
        made.append(doc.id)
        return tiny.brief(doc)

    with pytest.raises(KeyboardInterrupt):
        run_suite(suite, tiny_settings, tmp_path / "run", cache, make_brief=flaky)
    assert len(list(cache.glob("*.json"))) == 2 and not list(cache.glob(".*.tmp"))
    again = []
    result = run_suite(suite, tiny_settings, tmp_path / "run", cache,
                       make_brief=lambda d: again.append(d.id) or tiny.brief(d))
    assert len(again) == 1 and result.scores.scored_documents == 3


@pytest.mark.parametrize(
    ("summary", "count"),
    [
        ("Greece will repay the loan on Thursday. The minister said so.", 0),
        ("Flying high: Half of the kite took to the sky. The festival went on.", 1),
        ("Mr Wang said: 'Big kites are built from kevlar.' The line held.", 0),
        ("Kilmarnock will confirm Gary Locke as manager on Friday", 1),
        ("By John Smith. Police arrested two men.", 1),
        ("Jamie Silvonek (left), 14, was charged. Scroll down for video.", 2),
    ],
)
def test_furniture_counts_captions_headings_and_bylines(summary, count):
    from summariser.evaluation.metrics import furniture

    assert furniture(summary) == count


@pytest.mark.parametrize("run", sorted(p.parent.name for p in (Path(__file__).parents[1] / "eval" / "results").glob(
    "*/summary.json")))
def test_published_summaries_read_as_typed_results_and_write_back_the_same_file(run):
    """The typed results read every committed ROUGE summary.json and write it back byte for byte (the
    file format did not change); the others (actors, judgments) still make their table."""
    from summariser.evaluation.report import markdown_table
    from summariser.evaluation.results import is_rouge_summary

    text = (Path(__file__).parents[1] / "eval" / "results" / run / "summary.json").read_text(encoding="utf-8")
    data = json.loads(text)
    if is_rouge_summary(data):
        summary = RunSummary.model_validate(data)
        assert json.dumps(summary.to_json(), indent=2) + "\n" == text
        assert summary.ours() is not None and summary.order()[0] == "summariser"
        table = markdown_table(summary)
    else:
        table = markdown_table(data)
    assert table.startswith(f"# {data['suite']}: ")
