"""Pilot tests: a person types prompts and answers dialogs; the scripted model answers."""

from __future__ import annotations

import pytest
from textual.widgets import Log

from tests.support.scripted_provider import ScriptedProvider
from tests.tui.conftest import SIZE, GatedProvider, answer
from tests.tui.pilot_helpers import ready, screen_text, send, settle, until
from victor.providers.base import ToolCall
from victor.ui.tui.dialogs.approval import ApprovalDialog
from victor.ui.tui.widgets.tool_card import ToolCard

pytestmark = pytest.mark.anyio


async def test_a_prompt_streams_a_markdown_answer(make_app, use_provider) -> None:
    provider = use_provider(ScriptedProvider([answer("Here is ", "**the** answer:\n\n", "```python\nx = 1\n```\n")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "what is x?", typed=True)
        await settle(pilot)
        text = screen_text(app)
        assert "what is x?" in text
        assert "Here is **the** answer:" in text and "x = 1" in text
        assert provider.calls[0][0][-1].content.startswith("what is x?")  # then the repository map
        badge = app.chat.query_one("#status-route")
        assert str(badge.render()) == "LOCAL" and "requested with --profile" in str(badge.tooltip)


async def test_an_edit_is_shown_as_a_diff_and_approved_with_y(make_app, use_provider, workspace) -> None:
    edit = ToolCall("c1", "edit_file", {"path": "app.py", "old_text": "'hello'", "new_text": "'hi'"})
    use_provider(ScriptedProvider([[edit], answer("Changed the greeting.")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "say hi instead")
        await until(pilot, lambda: isinstance(app.screen, ApprovalDialog))
        preview = app.screen.request.preview
        assert "-GREETING = 'hello'" in preview and "+GREETING = 'hi'" in preview
        await pilot.press("y")
        await settle(pilot)
        assert (workspace / "app.py").read_text() == "GREETING = 'hi'\n"
        card = app.chat.query_one(ToolCard)
        assert card.has_class("ok") and "✓" in str(card.query_one(".tool-status").render())
        assert "Changed the greeting." in screen_text(app)


async def test_a_shell_command_is_denied_with_n(make_app, use_provider, workspace) -> None:
    shell = ToolCall("c1", "run_shell", {"command": "rm -rf build"})
    use_provider(ScriptedProvider([[shell], answer("Understood, I will not run it.")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "clean the build")
        await until(pilot, lambda: isinstance(app.screen, ApprovalDialog))
        assert app.screen.request.tool == "run_shell"
        await pilot.press("n")
        await settle(pilot)
        status = str(app.chat.query_one(ToolCard).query_one(".tool-status").render())
        assert "denied" in status
        assert app.chat.query_one(ToolCard).has_class("failed")


async def test_ctrl_c_cancels_mid_stream_and_keeps_the_session(make_app, use_provider) -> None:
    provider = use_provider(GatedProvider([answer("Thinking", " about", " it"), answer("Second answer.")],
                                          pause_after=1))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "a long question")
        await until(pilot, lambda: provider.paused.is_set() and "Thinking" in screen_text(app))
        await pilot.press("ctrl+c")
        provider.gate.set()
        await settle(pilot)
        text = screen_text(app)
        assert "cancelled" in text and "about it" not in text
        assert app.is_running
        await send(pilot, "next question")
        await settle(pilot)
        assert "Second answer." in screen_text(app)
        await pilot.press("ctrl+c")
        assert app.is_running  # idle: the first Ctrl+C only warns
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_profile_switch_shows_in_the_status_bar(make_app, use_provider, victor_home) -> None:
    (victor_home / "profiles.yaml").write_text(
        "profiles:\n  tiny:\n    provider: ollama\n    model: tiny-coder:1b\n    base_url: http://127.0.0.1:11434\n")
    use_provider(ScriptedProvider([answer("Hi from tiny.")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "embedded" in str(app.chat.query_one("#status-model").render())
        await send(pilot, "/profile tiny")
        await settle(pilot)
        assert "tiny · tiny-coder:1b" in str(app.chat.query_one("#status-model").render())
        await send(pilot, "hello")
        await settle(pilot)
        assert app.state.profile == "tiny" and "Hi from tiny." in screen_text(app)
        await send(pilot, "/profile nosuch")
        await settle(pilot)
        assert "nosuch" in screen_text(app) and app.state.profile == "tiny"


async def test_an_approved_shell_command_shows_output_exit_code_and_duration(make_app, use_provider,
                                                                            victor_home) -> None:
    (victor_home / "profiles.yaml").write_text("sandbox:\n  backend: none\n")  # the host runner: no Docker here
    shell = ToolCall("c1", "run_shell", {"command": "echo first; echo second; exit 3"})
    use_provider(ScriptedProvider([[shell], answer("It failed with 3.")]))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "run it")
        await until(pilot, lambda: isinstance(app.screen, ApprovalDialog))
        assert "echo first" in app.screen.request.preview
        await pilot.press("y")
        await settle(pilot)
        card = app.chat.query_one(ToolCard)
        assert [line for line in card.query_one(Log).lines if line] == ["first", "second"]
        status = str(card.query_one(".tool-status").render())
        assert "exit 3" in status and " ms" in status
        assert "It failed with 3." in screen_text(app)


async def test_a_session_that_cannot_open_ends_the_app_with_its_error(workspace) -> None:
    from victor.errors import ConfigError
    from victor.session import Session
    from victor.ui.tui.app import VictorApp

    app = VictorApp(lambda approver, resume: Session.open(workspace, profile="nosuch", approver=approver))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.failure is not None)
        await pilot.pause()
    assert isinstance(app.failure, ConfigError) and app.return_code == 2


async def test_a_prompt_sent_while_the_session_opens_runs_when_it_is_ready(workspace, use_provider) -> None:
    import threading

    from victor.session import Session
    from victor.ui.tui.app import VictorApp

    use_provider(ScriptedProvider([answer("Ready now.")]))
    opened = threading.Event()

    def slow_open(approver, resume):  # noqa: ANN001, ANN202 - a model that takes its time to load
        opened.wait(timeout=10)
        return Session.open(workspace, profile="embedded", approver=approver)

    app = VictorApp(slow_open)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "early question")
        assert app.session is None and "early question" in screen_text(app)
        opened.set()
        await ready(pilot)
        await settle(pilot)
        assert "Ready now." in screen_text(app)
