"""Findings as text (`file:line rule value…`), JSON, or SARIF 2.1.0 for code scanning.
Only a 4-character preview of a secret is ever written."""

from __future__ import annotations

import json
from typing import Any

from victor import __version__
from victor.secrets.finding import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _where(finding: Finding, commit: str | None) -> str:
    return f"{commit[:12]}:{finding.path}" if commit else str(finding.path)


def as_text(findings: list[tuple[Finding, str | None]]) -> str:
    lines = [f"{_where(f, commit)}:{f.line} {f.rule} {f.preview}" for f, commit in findings]
    return "\n".join(lines) + ("\n" if lines else "")


def _record(finding: Finding, commit: str | None) -> dict[str, Any]:
    record = {"path": finding.path, "line": finding.line, "rule": finding.rule, "kind": finding.kind,
              "preview": finding.preview, "hashed_secret": finding.hashed_secret}
    return {**record, "commit": commit} if commit else record


def as_json(findings: list[tuple[Finding, str | None]]) -> str:
    return json.dumps({"count": len(findings), "findings": [_record(f, c) for f, c in findings]}, indent=2) + "\n"


def as_sarif(findings: list[tuple[Finding, str | None]]) -> str:
    rule_ids = sorted({f.rule for f, _ in findings})
    kinds = {f.rule: f.kind for f, _ in findings}
    results = [
        {
            "ruleId": f.rule,
            "level": "error",
            "message": {"text": f"{f.rule} secret {f.preview} ({f.kind})" + (f" in commit {c}" if c else "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.path}, "region": {"startLine": f.line}}}],
            "partialFingerprints": {"secretHash/v1": f.hashed_secret},
        }
        for f, c in findings
    ]
    driver = {
        "name": "victor-scan-secrets",
        "version": __version__,
        "rules": [{"id": rid, "shortDescription": {"text": f"{kinds[rid]} secret ({rid})"}} for rid in rule_ids],
    }
    sarif = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(sarif, indent=2) + "\n"


FORMATS = {"text": as_text, "json": as_json, "sarif": as_sarif}
