from pathlib import Path

import pytest

from summariser.batch import atomic_write, safe_filename


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.txt", lambda s: s == "report"),
        ("../../etc/passwd", lambda s: "/" not in s and ".." not in s and s.startswith("passwd")),
        ("a b/c?d*.pdf", lambda s: re_safe(s)),
        ("", lambda s: s.startswith("document-")),
        ("..", lambda s: s.startswith("document-")),
    ],
)
def test_safe_filenames(name, check):
    assert check(safe_filename(name))


def re_safe(s: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z0-9._-]+", s) is not None


def test_different_names_that_clean_to_the_same_stem_stay_distinct():
    assert safe_filename("a?b") != safe_filename("a*b")


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path):
    target = tmp_path / "out" / "x.md"
    atomic_write(target, "hello")
    atomic_write(target, "world")
    assert target.read_text() == "world"
    assert [p.name for p in target.parent.iterdir()] == ["x.md"]
    assert target.stat().st_mode & 0o044  # readable like any file the user writes (umask permitting)
