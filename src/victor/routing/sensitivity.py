"""Sensitivity: scan a whole request (prompt, file contents, tool results) for secrets, with the
secret scanner from `victor.secrets`, and for personal data (`victor.routing.pii`).

The result names finding types and where they were (prompt, a file path, tool result N), never a
value, so it is safe to print, log and audit.
"""

from __future__ import annotations

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


def request_texts(prompt: str, files: dict[str, str], tool_results: list[str]) -> list[tuple[str, str]]:
    """(where, text) for every part of a request that would be sent to a model."""
    texts = [("prompt", prompt)]
    texts += [(path, content) for path, content in files.items()]
    texts += [(f"tool result {index}", text) for index, text in enumerate(tool_results, start=1)]
    return texts


def scan_request(prompt: str, files: dict[str, str], tool_results: list[str]) -> Sensitivity:
    """Every secret and piece of personal data in the request, by type and place."""
    from victor.secrets import scan_text

    items: list[SensitiveItem] = []
    for where, text in request_texts(prompt, files, tool_results):
        path = None if where == "prompt" or where.startswith("tool result") else where
        items += [SensitiveItem(finding.rule, "secret", where) for finding in scan_text(text, path=path)]
        items += [SensitiveItem(finding.kind, "pii", where) for finding in scan_pii(text)]
    return Sensitivity(items)
