"""The bundle manifest: SHA-256 of every file, in `sha256sum -c` format, and its verification.

Verification runs before anything is installed: a missing, unlisted or altered file is refused with
its name. Only the standard library and a progress callback are used, so it is cheap to call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from victor.airgap import MANIFEST
from victor.errors import VictorError

HASH_CHUNK = 1 << 20
RECOPY_HINT = "copy the bundle again from the machine that packed it (or pack it again); nothing was installed"

OnBytes = Callable[[int], None]


def sha256_of(path: Path, on_bytes: OnBytes | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            if on_bytes:
                on_bytes(len(chunk))
    return digest.hexdigest()


def bundle_files(bundle: Path) -> list[str]:
    """Every regular file below `bundle` except the manifest, as sorted POSIX relative paths."""
    found = (path for path in bundle.rglob("*") if path.is_file() or path.is_symlink())
    names = (path.relative_to(bundle).as_posix() for path in found)
    return sorted(name for name in names if name != MANIFEST)


def total_bytes(bundle: Path, names: list[str]) -> int:
    return sum((bundle / name).stat().st_size for name in names)


def write_manifest(bundle: Path, on_bytes: OnBytes | None = None) -> Path:
    """Hash every file of `bundle` into BUNDLE/SHA256SUMS."""
    lines = [f"{sha256_of(bundle / name, on_bytes)}  {name}\n" for name in bundle_files(bundle)]
    manifest = bundle / MANIFEST
    manifest.write_text("".join(lines), encoding="utf-8")
    return manifest


def read_manifest(bundle: Path) -> dict[str, str]:
    """{relative path: sha256} from BUNDLE/SHA256SUMS; refuses a missing or malformed manifest."""
    manifest = bundle / MANIFEST
    if not manifest.is_file():
        raise VictorError(f"{bundle} is not a Victor bundle: {manifest} is missing", hint=RECOPY_HINT)
    entries: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not _is_safe_relative(name):
            raise VictorError(f"{manifest}:{number}: not a '<sha256>  <path>' line", hint=RECOPY_HINT)
        entries[name] = digest.lower()
    return entries


def check_complete(bundle: Path, expected: dict[str, str]) -> None:
    """Refuse a bundle with a listed file missing, or a file the manifest does not list."""
    present = set(bundle_files(bundle))
    for name in sorted(expected):
        if name not in present:
            raise VictorError(f"bundle is incomplete: {bundle / name} is missing", hint=RECOPY_HINT)
    unlisted = sorted(present - set(expected))
    if unlisted:
        raise VictorError(f"bundle has a file its {MANIFEST} does not list: {bundle / unlisted[0]}", hint=RECOPY_HINT)


def verify_bundle(bundle: Path, on_bytes: OnBytes | None = None) -> dict[str, str]:
    """Check every file against the manifest; return the manifest or raise naming the bad file."""
    expected = read_manifest(bundle)
    check_complete(bundle, expected)
    for name, digest in expected.items():
        path = bundle / name
        if path.is_symlink():
            raise VictorError(f"bundle file {path} is a symbolic link; bundles hold only plain files", hint=RECOPY_HINT)
        if sha256_of(path, on_bytes) != digest:
            raise VictorError(f"bundle is corrupt: {path} does not match its SHA-256 in {MANIFEST}", hint=RECOPY_HINT)
    return expected


def _is_safe_relative(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and name != MANIFEST
