"""The scripts use the package's public names, and one helper writes the README's generated sections."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))


def _sections():
    spec = importlib.util.spec_from_file_location("readme_sections", ROOT / "scripts" / "readme_sections.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_a_section_is_replaced_between_its_markers_only():
    sections = _sections()
    text = "intro\n<!-- a:start -->\nold\n<!-- a:end -->\nmiddle\n<!-- b:start -->\nkeep\n<!-- b:end -->\n"
    out = sections.replace_section(text, "a", "\nnew table\n\n")
    assert out == "intro\n<!-- a:start -->\nnew table\n<!-- a:end -->\nmiddle\n<!-- b:start -->\nkeep\n<!-- b:end -->\n"
    assert sections.replace_section(out, "a", "new table") == out  # idempotent


@pytest.mark.parametrize("text", ["no markers", "<!-- a:start -->\n<!-- a:start -->\n<!-- a:end -->",
                                  "<!-- a:end -->\nx\n<!-- a:start -->"])
def test_a_missing_repeated_or_reversed_marker_is_an_error(text):
    with pytest.raises(ValueError, match="a:"):
        _sections().replace_section(text, "a", "body")


def test_the_readme_sections_round_trip():
    import re

    sections = _sections()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("results", "ray", "bench", "example", "web-timings"):
        current = re.search(rf"<!-- {name}:start -->\n(.*?)\n?<!-- {name}:end -->", text, re.DOTALL)
        assert current, name
        assert sections.replace_section(text, name, current.group(1)) == text


def test_scripts_splice_the_readme_only_through_the_helper():
    for path in SCRIPTS:
        if path.name == "readme_sections.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert ":start -->" not in source, f"{path.name} splices README.md itself"


# Private attributes of other libraries that a benchmark sets on purpose (transformers' compile switch).
FOREIGN_PRIVATE = {"_compile_all_devices"}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_use_only_public_names_of_the_package(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("summariser"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {node.module}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            assert owner == "self" or node.attr in FOREIGN_PRIVATE, f"{path.name}:{node.lineno} uses .{node.attr}"
