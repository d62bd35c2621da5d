"""`.secrets.baseline` in detect-secrets' format: read it to silence known secrets (matched by file
and SHA-1 of the secret, as detect-secrets does), and rewrite it with `--update-baseline`.

A baseline made by detect-secrets keeps its plugin and filter settings when Victor rewrites it; a new
one gets detect-secrets' defaults, so `detect-secrets scan --baseline` and its hook can read it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from victor.errors import ConfigError
from victor.secrets.finding import Finding


@dataclass
class Baseline:
    """The parsed file; `known` holds (filename, hashed_secret) pairs to stay silent about."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Baseline:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not a readable secrets baseline ({exc})",
                              hint="regenerate it with `victor scan-secrets --all-files --update-baseline`") from None
        if not isinstance(data, dict) or not isinstance(data.get("results", {}), dict):
            raise ConfigError(f"{path}: 'results' must map file names to lists of secrets",
                              hint="regenerate it with `victor scan-secrets --all-files --update-baseline`")
        return cls(path, data)

    @cached_property
    def known(self) -> set[tuple[str, str]]:
        return {
            (entry.get("filename", name), entry.get("hashed_secret"))
            for name, entries in self.data.get("results", {}).items()
            for entry in entries
        }

    def allows(self, finding: Finding) -> bool:
        return (finding.path, finding.hashed_secret) in self.known

    def updated(self, findings: list[Finding], scanned: dict[str, str]) -> dict[str, Any]:
        """The baseline with the entries of the scanned files (path → text) replaced by `findings`.
        Each accepted line also gets the entries detect-secrets itself reports there, so that its
        hook stays quiet about what was accepted here. Entries already present keep their audit marks."""
        previous = {(e.get("filename"), e.get("type"), e.get("hashed_secret")): e
                    for entries in self.data.get("results", {}).values() for e in entries}
        results = {name: entries for name, entries in self.data.get("results", {}).items() if name not in scanned}
        for finding in findings:
            line_text = scanned[finding.path].splitlines()[finding.line - 1] if finding.path in scanned else ""
            kinds = [(finding.rule, finding.hashed_secret), *_detect_secrets_entries(line_text)]
            bucket = results.setdefault(finding.path, [])
            for secret_type, hashed in kinds:
                old = previous.get((finding.path, secret_type, hashed), {})
                entry = {"type": secret_type, "filename": finding.path, "hashed_secret": hashed,
                         "is_verified": False, **old, "line_number": finding.line}
                if all((e["type"], e["hashed_secret"]) != (secret_type, hashed) for e in bucket):
                    bucket.append(entry)
        settings = self.data if "plugins_used" in self.data else _detect_secrets_defaults()
        return {
            "version": settings.get("version", "1.5.0"),
            "plugins_used": settings.get("plugins_used", []),
            "filters_used": settings.get("filters_used", []),
            "results": {name: sorted(entries, key=lambda e: (e.get("line_number", 0), e["type"], e["hashed_secret"]))
                        for name, entries in sorted(results.items()) if entries},
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def write_if_changed(self, new: dict[str, Any]) -> bool:
        """Write `new`; True when its results differ from the file's (detect-secrets' exit 3)."""
        old_results = self.data.get("results")
        if self.path.exists() and old_results == new["results"]:
            return False
        self.path.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
        self.data = new
        return True


def _detect_secrets_entries(line: str) -> list[tuple[str, str]]:
    """(type, hashed_secret) of what detect-secrets' default plugins report on `line`."""
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    with default_settings():
        return [(secret.type, secret.secret_hash) for secret in scan_line(line)] if line.strip() else []


def _detect_secrets_defaults() -> dict[str, Any]:
    """detect-secrets' own default plugin and filter list, so its tools accept the file."""
    from detect_secrets.__version__ import VERSION
    from detect_secrets.settings import default_settings, get_settings

    with default_settings():
        return {"version": VERSION, **get_settings().json()}
