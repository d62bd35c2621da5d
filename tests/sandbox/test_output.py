"""Output hygiene without Docker: escape stripping and the byte cap."""

from __future__ import annotations

from victor.sandbox.output import CappedOutput, strip_escapes


def test_strip_escapes_removes_csi_osc_and_controls_but_keeps_text() -> None:
    raw = "\x1b[2J\x1b]0;title\x07\x1b[1;31mred\x1b[0m\ttab\r\nline\x08\x1bc\u009b5mend\x00"
    assert strip_escapes(raw) == "red\ttab\nlineend"


def test_cap_keeps_the_first_bytes_and_says_so() -> None:
    seen: list[str] = []
    capped = CappedOutput(10, seen.append)
    capped.add(b"0123456789abc")
    capped.add(b"more")
    assert capped.truncated
    assert capped.text() == "0123456789\n[victor: output truncated at 10 bytes]"
    assert "".join(seen) == "0123456789"


def test_a_utf8_character_split_across_chunks_reaches_the_callback_whole() -> None:
    seen: list[str] = []
    capped = CappedOutput(100, seen.append)
    euro = "€".encode()
    capped.add(b"a" + euro[:1])
    capped.add(euro[1:] + b"b")
    assert seen == ["a", "€b"] and capped.text() == "a€b" and not capped.truncated


def test_help_and_version_do_not_import_docker() -> None:
    import subprocess
    import sys

    probe = ("import sys; from victor.cli import build_app; build_app(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docker', 'requests')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
