"""The redact policy: what the agent sends to the cloud holds typed placeholders, numbered
consistently across prompt, files and tool results, and no secret or personal value."""

from __future__ import annotations

from pathlib import Path

from tests.routing.conftest import fake_github_pat, hybrid_config, unrecorded
from victor.routing import Router, RouteRequest


def test_redacted_request_holds_placeholders_only(tmp_path: Path) -> None:
    token, other = fake_github_pat(1), fake_github_pat(2)
    loaded = hybrid_config(policy="redact", audit_path=tmp_path / "a.log")
    router = Router(loaded, audit=unrecorded(loaded))
    decision = router.decide(RouteRequest(f"security audit: {token} mailed to jane.doe@acme.io",
                                          files={"app.py": f"TOKEN = '{token}'\nOTHER = '{other}'"}))
    assert decision.location == "cloud" and decision.redactor is not None
    prompt = decision.redactor.redact(f"security audit: {token} mailed to jane.doe@acme.io")
    source = decision.redactor.redact(f"TOKEN = '{token}'\nOTHER = '{other}'")
    later = decision.redactor.redact("tool output: jane.doe@acme.io, bob@acme.io")
    assert prompt == "security audit: «SECRET:github-pat:1» mailed to «PII:email:1»"
    assert source == "TOKEN = '«SECRET:github-pat:1»'\nOTHER = '«SECRET:github-pat:2»'"
    assert later == "tool output: «PII:email:1», «PII:email:2»"
    assert decision.as_dict()["redact"] is True
    assert token not in str(decision.as_dict()) and "jane.doe" not in str(decision.as_dict())
