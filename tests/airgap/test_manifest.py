"""The manifest on real files: every file hashed, and each kind of damage refused by name."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from victor.airgap.manifest import verify_bundle, write_manifest
from victor.errors import VictorError


@pytest.fixture
def small_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    (bundle / "wheels").mkdir(parents=True)
    (bundle / "install.sh").write_text("#!/bin/sh\n")
    (bundle / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 wheel")
    write_manifest(bundle)
    return bundle


def test_the_manifest_is_sha256sum_format_over_every_file(small_bundle: Path) -> None:
    lines = (small_bundle / "SHA256SUMS").read_text().splitlines()
    script, wheel = hashlib.sha256(b"#!/bin/sh\n").hexdigest(), hashlib.sha256(b"PK\x03\x04 wheel").hexdigest()
    assert lines == [f"{script}  install.sh", f"{wheel}  wheels/a-1.0-py3-none-any.whl"]
    assert verify_bundle(small_bundle).keys() == {"install.sh", "wheels/a-1.0-py3-none-any.whl"}


def test_an_altered_file_is_named(small_bundle: Path) -> None:
    (small_bundle / "install.sh").write_text("#!/bin/sh\nrm -rf /\n")
    with pytest.raises(VictorError, match=r"bundle is corrupt: .*/install.sh does not match its SHA-256"):
        verify_bundle(small_bundle)


def test_a_missing_file_is_named(small_bundle: Path) -> None:
    (small_bundle / "wheels" / "a-1.0-py3-none-any.whl").unlink()
    with pytest.raises(VictorError, match=r"bundle is incomplete: .*/wheels/a-1.0-py3-none-any.whl is missing"):
        verify_bundle(small_bundle)


def test_an_unlisted_file_is_named(small_bundle: Path) -> None:
    (small_bundle / "wheels" / "evil-6.6-py3-none-any.whl").write_bytes(b"PK")
    with pytest.raises(VictorError, match=r"does not list: .*/wheels/evil-6.6-py3-none-any.whl"):
        verify_bundle(small_bundle)


@pytest.mark.parametrize("line", ["not a checksum line", f"{'0' * 64}  ../outside", f"{'0' * 64}  /etc/passwd"])
def test_a_malformed_or_escaping_manifest_line_is_refused(small_bundle: Path, line: str) -> None:
    (small_bundle / "SHA256SUMS").write_text(line + "\n")
    with pytest.raises(VictorError, match=r"SHA256SUMS:1: not a '<sha256>  <path>' line"):
        verify_bundle(small_bundle)


def test_a_directory_without_a_manifest_is_not_a_bundle(tmp_path: Path) -> None:
    with pytest.raises(VictorError, match=r"is not a Victor bundle: .*SHA256SUMS is missing"):
        verify_bundle(tmp_path)
