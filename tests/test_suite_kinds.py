"""The actors, judgments and pile suites end to end with the tiny random model (plumbing, not quality)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from summariser.brief import Actor, Citation
from summariser.cli import app
from summariser.evaluation.runner import rewrite_reports, run_suite, texts_key
from summariser.evaluation.suites import Suite, load_suite

from .conftest import frank_rows


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _actor(name: str, type_: str) -> Actor:
    return Actor(name=name, type=type_, role="r", mentions=1, evidence=Citation(document="d", sentence=0, text="t"))


def test_shipped_gold_suites_load():
    actors = load_suite("actors")
    assert actors.kind == "actors" and actors.data.is_file() and all(d.exists() for d in actors.documents)
    pile = load_suite("pile-cnndm")
    assert (pile.kind, pile.piles, pile.pile_sizes, pile.baselines) == ("pile", 50, (3, 5), ["lead-3", "each-lead-1"])
    assert load_suite("judgments").forward_classifier == "summariser.judgments:is_forward_looking"


def test_actors_suite_scores_brief_actors_against_gold(tmp_path, tiny_settings, tiny):
    rows = frank_rows("frank-cnndm", 2)
    docs = _jsonl(tmp_path / "docs.jsonl", rows)
    gold = _jsonl(tmp_path / "gold.jsonl", [
        {"id": rows[0]["id"], "split": "dev", "key_actors": [
            {"name": "Gary Locke", "aliases": ["Locke"], "type": "person", "main_subject": True, "role": "manager"},
            {"name": "Kilmarnock", "aliases": [], "type": "organisation", "role": "club"}],
         "minor": [{"name": "Hearts", "aliases": []}]},
        {"id": rows[1]["id"], "split": "test", "key_actors": [
            {"name": "Nobody Here", "aliases": [], "type": "person", "role": "x"}], "minor": []},
        {"id": "not-in-documents", "split": "test", "key_actors": [], "minor": []},
    ])
    gold.write_text(gold.read_text() + "{broken\n")  # line 4: reported, not fatal
    suite = Suite(name="a", kind="actors", data=gold, documents=[docs])
    listed = {rows[0]["id"]: [_actor("Mr Locke", "person"), _actor("Kilmarnock", "state or place"),
                              _actor("Hearts", "organisation")],
              rows[1]["id"]: []}
    made = []

    def make(doc):
        made.append(doc.id)
        return tiny.brief(doc).model_copy(update={"key_actors": listed[doc.id]})

    result = run_suite(suite, tiny_settings, tmp_path / "run", tmp_path / "cache", make_brief=make)
    dev, test, every = (result.summary["splits"][k] for k in ("dev", "test", "all"))
    # dev: Locke right; Kilmarnock wrong type; Hearts minor -> strict 1/3 P, 1/2 R; lenient 3/3 P, 2/2 R.
    assert (dev["strict"]["tp"], dev["strict"]["fp"], dev["strict"]["fn"]) == (1, 2, 1)
    assert dev["lenient"]["precision"]["mean"] == 1.0 and dev["lenient"]["recall"]["mean"] == 1.0
    assert dev["main_subject_recall"]["mean"] == 1.0
    assert test["strict"]["fn"] == 1 and test["main_subject_recall"]["n"] == 0
    assert every["documents"] == 2 and every["strict_false_positives_by_reason"] == {"type state or place": 1,
                                                                                    "minor entity": 1}
    assert {f.get("id") or f.get("line") for f in result.failures} == {"not-in-documents", 4}
    per_doc = [json.loads(line) for line in (tmp_path / "run" / "per_document.jsonl").read_text().splitlines()]
    assert per_doc[0]["misses"] == ["Kilmarnock"] and per_doc[0]["minor_listed"] == ["Hearts"]
    table = (tmp_path / "run" / "summary.md").read_text()
    assert "| dev | 1 | 0.33" in table and "Main subject" not in table
    # A second run reads the briefs from the cache; `brief eval report` rebuilds the table.
    again = run_suite(suite, tiny_settings, tmp_path / "run2", tmp_path / "cache", make_brief=make)
    assert len(made) == 2 and again.summary["generated_briefs"] == 0
    (tmp_path / "run" / "summary.md").unlink()
    rewrite_reports(tmp_path / "run")
    assert (tmp_path / "run" / "summary.md").read_text() == table


def test_judgments_suite_scores_any_classifier(tmp_path, tiny_settings):
    data = _jsonl(tmp_path / "j.jsonl", [
        {"id": "a", "index": 0, "split": "dev", "kind": "position", "forward": True, "text": "He said it will fail."},
        {"id": "a", "index": 1, "split": "dev", "kind": "description", "forward": False, "text": "It rained."},
        {"id": "b", "index": 0, "split": "test", "kind": "other", "forward": False, "text": "Ouch!"},
    ])
    # builtins:bool calls every non-empty sentence positive: precision = share of positives, recall 1.
    suite = Suite(name="j", kind="judgments", data=data, judgment_classifier="builtins:bool",
                  forward_classifier="summariser.judgments:is_forward_looking")
    result = run_suite(suite, tiny_settings, tmp_path / "run", tmp_path / "cache")
    judged = result.summary["results"]["judgment"]["splits"]
    assert judged["all"]["precision"]["mean"] == round(1 / 3, 4) and judged["all"]["recall"]["mean"] == 1.0
    assert judged["test"]["tp"] == 0 and judged["test"]["fp"] == 1
    forward = result.summary["results"]["forward"]["splits"]["all"]
    assert (forward["tp"], forward["fp"], forward["fn"]) == (1, 0, 0)
    missing = run_suite(suite.model_copy(update={"judgment_classifier": "summariser.judgments:no_such"}),
                        tiny_settings, tmp_path / "run2", tmp_path / "cache")
    assert missing.summary["results"]["judgment"] == {"classifier": "summariser.judgments:no_such", "missing": True}
    assert "(not found)" in (tmp_path / "run2" / "summary.md").read_text()


def test_pile_suite_briefs_documents_together(tmp_path, tiny_settings, tiny):
    rows = frank_rows("frank-cnndm", 6)
    data = _jsonl(tmp_path / "d.jsonl", rows)
    suite = Suite(name="p", kind="pile", data=data, piles=2, pile_sizes=(2, 3), pile_seed=3,
                  baselines=["lead-3", "each-lead-1"])
    calls = []

    def make(docs):
        calls.append([d.id for d in docs])
        return tiny.brief(docs)

    result = run_suite(suite, tiny_settings, tmp_path / "run", tmp_path / "cache", make_brief=make)
    assert result.scores.kind == "pile" and result.scores.piles is not None
    members = result.scores.piles["members"]
    assert list(members) == ["pile-00", "pile-01"] and calls == list(members.values())
    assert all(2 <= len(m) <= 3 for m in members.values())
    systems = result.scores.systems
    assert set(systems) == {"summariser", "lead-3", "each-lead-1"} and all(s.n == 2 for s in systems.values())
    assert systems["each-lead-1"].mean("coverage") == 1.0  # one lead sentence from every document
    assert systems["lead-3"].mean("coverage") < 1.0  # the opening of the first document only
    records = [json.loads(line) for line in (tmp_path / "run" / "per_document.jsonl").read_text().splitlines()]
    by_id = {r["id"]: r for r in records if r["system"] == "summariser"}
    by_row = {r["id"]: r for r in rows}
    # One reference per pile: the documents' references joined in order, scored like any ROUGE suite.
    first = by_id["pile-00"]
    assert first["documents"] == members["pile-00"] and 0 <= first["coverage"] <= 1 and "rouge1_f" in first
    assert texts_key([by_row[i]["article"] for i in members["pile-00"]], tiny_settings) != texts_key(
        ["\n\n".join(by_row[i]["article"] for i in members["pile-00"])], tiny_settings)
    assert "2 piles" in (tmp_path / "run" / "summary.md").read_text()
    assert "coverage %" in (tmp_path / "run" / "summary.md").read_text()
    limited = run_suite(suite.model_copy(update={"limit": 1}), tiny_settings, tmp_path / "run3", tmp_path / "cache",
                        make_brief=make)
    assert list(limited.scores.piles["members"]) == ["pile-00"] and len(calls) == 2  # cached


def test_cli_runs_the_judgments_suite(tmp_path):
    res = CliRunner().invoke(app, ["eval", "--suite", "judgments", "--out", str(tmp_path / "j")])
    assert res.exit_code == 0, res.output
    assert "is_forward_looking" in res.stdout and "| forward |" in res.stdout
    assert json.loads((tmp_path / "j" / "summary.json").read_text())["sentences"] >= 200
