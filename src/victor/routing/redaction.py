"""Redaction for the `redact` policy: secrets become «SECRET:<rule>:<n>» (the secret scanner's
Redactor) and personal data becomes «PII:<kind>:<n>». Numbering is consistent across every text
redacted by one instance: the same value gets the same placeholder in the prompt, a file and a
later tool result, so the model can still tell two values apart without seeing either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from victor.routing.pii import scan_pii

if TYPE_CHECKING:
    from victor.secrets.finding import Finding


class RequestRedactor:
    """`redact(text)` for everything sent to a cloud model under the `redact` policy."""

    def __init__(self) -> None:
        from victor.secrets import Redactor

        self._secrets = Redactor()
        self._pii_numbers: dict[tuple[str, str], int] = {}

    @property
    def findings(self) -> list[Finding]:
        """The secret findings redacted so far (the secret scanner's Finding objects)."""
        return self._secrets.findings

    def redact(self, text: str) -> str:
        text = self._secrets.redact(text)
        pieces, last = [], 0
        for finding in scan_pii(text):
            value = text[finding.start : finding.end]
            pieces += [text[last : finding.start], self._placeholder(finding.kind, value)]
            last = finding.end
        return "".join(pieces) + text[last:]

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._pii_numbers:
            self._pii_numbers[key] = 1 + sum(1 for other, _ in self._pii_numbers if other == kind)
        return f"«PII:{kind}:{self._pii_numbers[key]}»"
