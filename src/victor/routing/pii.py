"""Personal data detection: emails, phone numbers, card numbers (Luhn), IBANs (mod 97), SSN-like
numbers. Secrets (keys, tokens) are the secret scanner's job (`victor.secrets`), not this module's.

Each rule is a regex plus an optional validator, so a 16-digit order id that fails Luhn, or a
string shaped like an IBAN with a wrong checksum, is not reported. Findings carry the type and the
span, never a copy of the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# RFC 2606 / 6761 names used in examples and tests: addresses there are not personal data.
RESERVED_EMAIL_DOMAINS = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$", re.I)
# Machine addresses that look like emails in code (git@github.com:org/repo.git, noreply senders).
SERVICE_MAILBOXES = frozenset({"git", "noreply", "no-reply", "donotreply"})


@dataclass(frozen=True)
class PiiFinding:
    kind: str
    start: int
    end: int


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def luhn_valid(number: str) -> bool:
    """The Luhn checksum used by payment card numbers."""
    digits = [int(char) for char in number]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def _card(match: str) -> bool:
    number = _digits(match)
    return 13 <= len(number) <= 19 and number[0] in "3456" and luhn_valid(number)


def iban_valid(text: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = re.sub(r"\s", "", text).upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _email(match: str) -> bool:
    mailbox, domain = match.rsplit("@", 1)
    return mailbox.lower() not in SERVICE_MAILBOXES and not RESERVED_EMAIL_DOMAINS.search(domain)


def _phone(match: str) -> bool:
    return 10 <= len(_digits(match)) <= 15


RULES: list[tuple[str, re.Pattern[str], Callable[[str], bool] | None]] = [
    ("email", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"), _email),
    ("iban", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), iban_valid),
    ("card-number", re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])"), _card),
    ("ssn", re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])"), None),
    ("phone", re.compile(r"(?<![\w+-])(?:\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}"  # +44 20 7946 0958
                         r"|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})(?![\w-])"), _phone),  # (415) 555-2671
]


def scan_pii(text: str) -> list[PiiFinding]:
    """Personal data in `text`, in order; a span claimed by an earlier rule is not reported twice."""
    found: list[PiiFinding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern, is_valid in RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            if is_valid is None or is_valid(match.group(0)):
                found.append(PiiFinding(kind, start, end))
                taken.append((start, end))
    return sorted(found, key=lambda finding: finding.start)
