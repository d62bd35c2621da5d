"""What is sent is what was checked: `fitted()` redacts each message whole before it trims old tool
output, so a cut through a secret never leaves a piece the redactor cannot recognise."""

from __future__ import annotations

from tests.routing.conftest import fake_github_pat
from victor.agent.conversation import TRIMMED_HEAD_CHARS, Conversation
from victor.providers.base import Message, ToolCall
from victor.routing.redaction import RequestRedactor


def test_a_secret_cut_by_trimming_is_redacted_whole_first() -> None:
    token = fake_github_pat(9)
    head = "x" * (TRIMMED_HEAD_CHARS - 13) + " "  # the token straddles the trimming point
    conversation = Conversation([Message("system", "You are Victor."), Message("user", "read them")])
    for number, body in enumerate([f"{head}{token}\n" + "y" * 20_000, "z" * 20_000, "w" * 20_000]):
        call = ToolCall(f"c{number}", "read_file", {"path": f"f{number}.txt"})
        conversation.add(Message("assistant", "", [call]))
        conversation.add_tool_result(call, body)
    sent = conversation.fitted(12_000, RequestRedactor().redact)
    assert sent[3].content.startswith(head) and "characters of old tool output trimmed" in sent[3].content
    assert all(token[:8] not in message.content for message in sent)
    assert conversation.messages[3].content.startswith(f"{head}{token}")  # the history itself is intact


def test_tool_call_arguments_are_prepared_too() -> None:
    token = fake_github_pat(10)
    arguments = {"path": "a", "content": [token], "extra": {token: 1}}
    conversation = Conversation([Message("assistant", "", [ToolCall("c1", "write_file", arguments)])])
    sent = conversation.fitted(100_000, RequestRedactor().redact)
    assert sent[0].tool_calls[0].arguments == {"path": "a", "content": ["«SECRET:github-pat:1»"],
                                               "extra": {"«SECRET:github-pat:1»": 1}}
