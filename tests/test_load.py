import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from summariser.errors import DocumentError
from summariser.load import (
    Document,
    LoadFailure,
    Skipped,
    clean_text,
    decode_bytes,
    html_to_text,
    iter_documents,
    iter_jsonl,
    load_file,
)


def test_encodings_are_detected(tmp_path: Path):
    text = "Café in Zürich – naïve résumé"
    (tmp_path / "u8.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "l1.txt").write_bytes("Café in Zürich".encode("latin-1"))
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))  # with BOM
    assert load_file(tmp_path / "u8.txt").text == text
    assert load_file(tmp_path / "l1.txt").text == "Café in Zürich"
    assert load_file(tmp_path / "u16.txt").text == text


def test_binary_and_empty_files_are_refused_with_a_reason(tmp_path: Path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.txt").write_text("  \n\t\n ")
    with pytest.raises(DocumentError, match="binary"):
        load_file(tmp_path / "bin.txt")
    for name in ("empty.txt", "blank.txt"):
        with pytest.raises(DocumentError, match="no text"):
            load_file(tmp_path / name)


def test_html_keeps_text_and_drops_scripts_and_furniture():
    html = """<html><head><script>alert('x')</script><style>p{}</style></head>
    <body><nav>Home | About</nav><article><h1>Floods in Kerala</h1>
    <p>Heavy rain displaced <b>2,000</b> people.</p><p>Rescue teams arrived.</p></article>
    <footer>Copyright</footer></body></html>"""
    text = html_to_text(html)
    assert "Floods in Kerala" in text and "displaced 2,000 people" in text
    assert "alert" not in text and "Home" not in text and "Copyright" not in text


def test_html_with_only_scripts_has_no_text(tmp_path: Path):
    (tmp_path / "s.html").write_text("<html><script>var a=1;</script></html>")
    with pytest.raises(DocumentError, match="no text"):
        load_file(tmp_path / "s.html")


def test_broken_pdf_is_a_clear_error(tmp_path: Path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage \n%%EOF")
    with pytest.raises(DocumentError, match="PDF"):
        load_file(tmp_path / "broken.pdf")


def test_size_limit(tmp_path: Path):
    (tmp_path / "big.txt").write_text("word " * 1000)
    with pytest.raises(DocumentError, match="limit"):
        load_file(tmp_path / "big.txt", max_bytes=1000)


def test_jsonl_bad_lines_are_reported_and_good_ones_kept():
    lines = [
        json.dumps({"id": "a", "text": "First document."}),
        "{not json",
        json.dumps({"id": "b", "body": "no text field"}),
        json.dumps([1, 2]),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "d", "text": "Fourth document."}),
    ]
    out = list(iter_jsonl(lines, "x.jsonl"))
    docs = [o for o in out if isinstance(o, Document)]
    fails = [o for o in out if isinstance(o, LoadFailure)]
    assert [d.id for d in docs] == ["a", "d"]
    assert [f.name for f in fails] == ["x.jsonl:2", "x.jsonl:3", "x.jsonl:4", "x.jsonl:5"]
    assert "invalid JSON" in fails[0].reason


def test_folders_globs_stdin_and_symlink_loops(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("One sentence here.")
    (tmp_path / "a" / "two.md").write_text("# Two\n\nAnother sentence.")
    (tmp_path / "a" / "skip.bin").write_bytes(b"\x00\x01")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    found = list(iter_documents([str(tmp_path / "a")]))
    assert sorted(d.name for d in found if isinstance(d, Document)) == ["one.txt", "two.md"]
    [skipped] = [s for s in found if isinstance(s, Skipped)]  # said, not silent; the loop is walked once
    assert skipped.name.endswith("skip.bin") and skipped.kind == "unsupported type"
    globbed = list(iter_documents([str(tmp_path / "a" / "*.txt"), str(tmp_path / "nothing*.txt")]))
    assert isinstance(globbed[0], Document) and isinstance(globbed[1], LoadFailure)
    piped = list(iter_documents(["-"], stdin=["From standard input."]))
    assert piped[0].text == "From standard input."


def test_missing_file_is_a_failure_not_an_exception(tmp_path: Path):
    out = list(iter_documents([str(tmp_path / "gone.txt")]))
    assert isinstance(out[0], LoadFailure) and "not found" in out[0].reason


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_crashes_on_any_bytes(data: bytes):
    try:
        text = decode_bytes(data)
    except DocumentError:
        return
    assert isinstance(clean_text(text), str)
