"""Redaction: replace each secret with a typed placeholder `«SECRET:<rule>:<n>»`. One Redactor
keeps the numbering across the several texts of one request: the same value keeps its number."""

from __future__ import annotations

from victor.secrets.finding import Finding
from victor.secrets.scanner import scan_text


class Redactor:
    """Redacts texts one after another; `.findings` collects what it replaced, in order."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._numbers: dict[str, int] = {}

    def redact(self, text: str) -> str:
        found = scan_text(text)
        if not found:
            return text
        pieces: list[str] = []
        position = 0
        for finding in found:
            number = self._numbers.setdefault(finding.secret, len(self._numbers) + 1)
            pieces.append(text[position : finding.start])
            pieces.append(f"«SECRET:{finding.rule}:{number}»")
            position = finding.end
        pieces.append(text[position:])
        self.findings.extend(found)
        return "".join(pieces)


def redact(text: str) -> str:
    """`text` with every secret replaced by `«SECRET:<rule>:<n>»`, numbered within this text."""
    return Redactor().redact(text)
