"""Sensitivity: scan a whole request (prompt, file contents, and every other part that is sent: the
system prompt, earlier messages, tool results, tool-call arguments) for secrets, with the secret
scanner from `victor.secrets`, and for personal data (`victor.routing.pii`).

The result names finding types and where they were (prompt, a file path, tool result N), never a
value, so it is safe to print, log and audit.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from victor.routing.pii import scan_pii


@dataclass(frozen=True)
class SensitiveItem:
    type: str  # a secret rule ("github-pat") or a PII kind ("email")
    category: str  # "secret" or "pii"
    where: str  # "prompt", a file path, or "tool result N"


@dataclass
class Sensitivity:
    items: list[SensitiveItem] = field(default_factory=list)

    @property
    def sensitive(self) -> bool:
        return bool(self.items)

    def types(self) -> list[str]:
        return sorted({item.type for item in self.items})

    def describe(self) -> str:
        """e.g. "github-pat in prompt; email ×2 in customers.csv" (types and places, no values)."""
        if not self.items:
            return "no secrets or personal data found"
        counts = Counter((item.where, item.type) for item in self.items)
        parts: dict[str, list[str]] = {}
        for (where, kind), count in counts.items():
            parts.setdefault(where, []).append(kind if count == 1 else f"{kind} ×{count}")
        return "; ".join(f"{', '.join(kinds)} in {where}" for where, kinds in parts.items())

    def as_list(self) -> list[dict[str, object]]:
        counts = Counter((item.type, item.category, item.where) for item in self.items)
        return [{"type": t, "category": c, "where": w, "count": n} for (t, c, w), n in counts.items()]


def request_texts(prompt: str, files: dict[str, str], context: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(where, text) for every part of a request that would be sent to a model."""
    return [("prompt", prompt), *files.items(), *context]


class SensitivityScanner:
    """Scans requests, remembering each text's findings by a hash of its content (and the file path
    the scanner is given), so a session that re-sends its whole history each turn pays only for
    what is new."""

    def __init__(self) -> None:
        self._known: dict[tuple[str | None, bytes], list[tuple[str, str]]] = {}

    def scan(self, prompt: str, files: dict[str, str], context: list[tuple[str, str]]) -> Sensitivity:
        """Every secret and piece of personal data in the request, by type and place."""
        items: list[SensitiveItem] = []
        for where, text in request_texts(prompt, files, context):
            path = where if where in files else None
            items += [SensitiveItem(kind, category, where) for kind, category in self._findings(text, path)]
        return Sensitivity(items)

    def _findings(self, text: str, path: str | None) -> list[tuple[str, str]]:
        key = (path, hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
        if key not in self._known:
            from victor.secrets import scan_text

            found = [(finding.rule, "secret") for finding in scan_text(text, path=path)]
            self._known[key] = found + [(finding.kind, "pii") for finding in scan_pii(text)]
        return self._known[key]
