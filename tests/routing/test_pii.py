"""Personal-data detection: what each rule finds, and the near misses it must not."""

from __future__ import annotations

import pytest

from victor.routing.pii import iban_valid, luhn_valid, scan_pii

FOUND = [
    ("mail jane.doe@acme.io today", ["email"]),
    ("call +44 20 7946 0958", ["phone"]),
    ("call (415) 555-2671 now", ["phone"]),
    ("card 4111 1111 1111 1111 exp 12/29", ["card-number"]),
    ("card 5500-0000-0000-0004", ["card-number"]),
    ("IBAN GB82 WEST 1234 5698 7654 32", ["iban"]),
    ("iban DE89370400440532013000", ["iban"]),
    ("ssn 123-45-6789", ["ssn"]),
    ("jane@acme.io and 4111111111111111", ["email", "card-number"]),
]
NOT_FOUND = [
    "dev@example.com is the fixture address",  # reserved example domains are not personal data
    "ci@build.test",
    "git clone git@github.com:org/repo.git; from noreply@github.com",
    "order 4111 1111 1111 1112",  # fails Luhn
    "GB82 WEST 1234 5698 7654 33",  # wrong IBAN checksum
    "ssn 000-12-3456 and 666-12-3456",  # never issued
    "version 1.2.3 build 2024-01-15",
    "uuid 123e4567-e89b-12d3-a456-426614174000",
    "id 1234567890123",  # 13 digits that fail Luhn
]


@pytest.mark.parametrize(("text", "kinds"), FOUND)
def test_found(text: str, kinds: list[str]) -> None:
    assert [finding.kind for finding in scan_pii(text)] == kinds


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_found(text: str) -> None:
    assert scan_pii(text) == []


def test_spans_point_at_the_value() -> None:
    text = "write to jane.doe@acme.io please"
    [finding] = scan_pii(text)
    assert text[finding.start : finding.end] == "jane.doe@acme.io"


@pytest.mark.parametrize(("number", "valid"),
                         [("79927398713", True), ("79927398710", False), ("4111111111111111", True)])
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(("iban", "valid"), [("GB82WEST12345698765432", True), ("NL91ABNA0417164300", True),
                                              ("NL91ABNA0417164301", False), ("GB82", False)])
def test_iban(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid
