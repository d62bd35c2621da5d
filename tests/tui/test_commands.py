"""Slash commands and prompt history in the TUI, against the real session."""

from __future__ import annotations

import pytest

from tests.support.scripted_provider import ScriptedProvider
from tests.tui.conftest import SIZE, answer
from tests.tui.pilot_helpers import ready, screen_text, send, settle, until
from victor.providers.base import ToolCall
from victor.ui.tui.dialogs.approval import ApprovalDialog
from victor.ui.tui.widgets.prompt_input import PromptInput

pytestmark = pytest.mark.anyio


async def test_up_and_down_walk_the_prompt_history(make_app, use_provider) -> None:
    use_provider(ScriptedProvider([answer("one"), answer("two")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "first prompt")
        await settle(pilot)
        await send(pilot, "second\nprompt")
        await settle(pilot)
        prompt = app.chat.query_one(PromptInput)
        await pilot.press("up")
        assert prompt.text == "second\nprompt"
        await pilot.press("up", "up")
        assert prompt.text == "first prompt"
        await pilot.press("down", "down", "down")
        assert prompt.text == ""
        await pilot.press(*"ab", "ctrl+j", *"cd")
        assert prompt.text == "ab\ncd"


async def test_route_cost_diff_undo_and_audit(make_app, use_provider, workspace) -> None:
    edit = ToolCall("c1", "edit_file", {"path": "app.py", "old_text": "'hello'", "new_text": "'hi'"})
    use_provider(ScriptedProvider([[edit], answer("Done.")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "/route")
        await send(pilot, "say hi")
        await until(pilot, lambda: isinstance(app.screen, ApprovalDialog))
        await pilot.press("a")
        await settle(pilot)
        for command in ("/route", "/cost", "/diff", "/audit", "/undo", "/diff", "/task nonsense", "/nope", "/help"):
            await send(pilot, command)
            await settle(pilot)
        text = screen_text(app)
        assert "No request has been routed yet." in text
        assert "Last request went **LOCAL**" in text
        assert "tokens in" in text and "Budget: no budget limits set" in text
        assert "+GREETING = 'hi'" in text
        assert "| tool_call |" in text or "tool" in text.split("Audit log", 1)[1]
        assert "Restored `app.py`" in text and "No uncommitted changes." in text
        assert (workspace / "app.py").read_text() == "GREETING = 'hello'\n"
        assert "unknown task type 'nonsense'" in text and "Unknown command `/nope`" in text
        assert "/profile NAME" in text


async def test_clear_starts_a_fresh_session_and_resume_lists_the_old_one(make_app, use_provider) -> None:
    use_provider(ScriptedProvider([answer("first answer")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "remember this")
        await settle(pilot)
        first = app.session.id
        await send(pilot, "/clear")
        await ready(pilot)
        assert app.session.id != first and "first answer" not in screen_text(app)
        await send(pilot, "/resume")
        await settle(pilot)
        assert first in screen_text(app)
        await send(pilot, f"/resume {first}")
        await ready(pilot)
        assert app.session.id == first and "resumed session" in screen_text(app)
        await send(pilot, "/quit")
        await pilot.pause()
        assert not app.is_running
