"""Issue #13 item 8: Markdown output escapes what it renders (file names and text come from untrusted documents)."""

from __future__ import annotations

import json
import re

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from summariser.brief import Actor, Brief, Citation, Implication, Judgment, Provenance, Source
from summariser.cli import app
from summariser.render import md_escape, to_markdown

EVIL = [
    "[click me](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "![pixel](http://127.0.0.1/track.png)",
    "<javascript:alert(1)>",
    "<script>alert(1)</script>",
    "# not a heading",
    "1. not a list",
    "| not | a | cell |",
]


def _brief(text: str, name: str) -> Brief:
    cite = Citation(document=name, sentence=0, text=text)
    return Brief(
        title=text, bluf=text,
        key_judgments=[Judgment(statement=text, likelihood="likely", confidence="low", citations=[cite])],
        key_actors=[Actor(name=text, type="person", role=text, mentions=1, evidence=cite)],
        implications=[Implication(statement=text, citations=[cite])],
        sources=[Source(document=name, id="x", words=3, chunks=1)],
        provenance=Provenance(model=text, backend="hf", settings={}, seconds=0.1, version="0"),
        warnings=[text],
    )


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_no_field_can_inject_links_images_or_html():
    for text in EVIL:
        html = _html(to_markdown(_brief(text, text)))
        assert "<a " not in html and "<img" not in html and "<script" not in html, (text, html)
        body = html.split("<details>")[0]
        assert body.count("<h1>") == 1 and "<ol" not in body, text  # only the title is a heading


def test_escaped_text_still_reads_as_the_source_wrote_it():
    for text in EVIL + ["AT&T said 5 < 6 & 7 > 3 in the *draft* (not_final).", "Kermit &amp; friends"]:
        rendered = _html(md_escape(text))
        plain = re.sub(r"<[^>]+>", "", rendered).strip()
        unescaped = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        assert unescaped == text, (text, rendered)


def test_a_hostile_file_name_through_the_cli(tmp_path, tiny_model_dir):
    name = "[x](javascript:alert(1)) <img src=x onerror=alert(1)>.txt"
    (tmp_path / name).write_text("Floods hit Kerala on Monday. The army sent 200 boats to rescue families.")
    result = CliRunner().invoke(app, ["run", str(tmp_path / name), "--quiet", "--model", str(tiny_model_dir),
                                      "--max-new-tokens", "8"])
    assert result.exit_code == 0, result.output
    html = _html(result.stdout)
    assert "<a " not in html and "<img" not in html
    as_json = CliRunner().invoke(app, ["run", str(tmp_path / name), "--quiet", "--format", "json", "--model",
                                       str(tiny_model_dir), "--max-new-tokens", "8"])
    assert json.loads(as_json.stdout)["sources"][0]["document"] == name  # JSON keeps the data as it is
