"""Driving the app like a person: wait for it to be ready, type, wait for the turn to end."""

from __future__ import annotations

import asyncio

from textual.pilot import Pilot

from victor.ui.tui.app import VictorApp


async def until(pilot: Pilot, condition, timeout: float = 10.0) -> None:  # noqa: ANN001 - a callable
    """Let the app run until `condition()` holds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never reached the expected state")


async def ready(pilot: Pilot) -> VictorApp:
    app = pilot.app
    await until(pilot, lambda: app.session is not None and not app.busy)
    await pilot.pause()
    return app


async def send(pilot: Pilot, text: str, *, typed: bool = False) -> None:
    """Put `text` in the prompt, key by key when `typed` (slower) or as a paste, and press Enter."""
    from victor.ui.tui.widgets.prompt_input import PromptInput

    await pilot.click("#prompt")
    if typed:
        await pilot.press(*text)
    else:
        pilot.app.chat.query_one(PromptInput).insert(text)
    await pilot.press("enter")


async def settle(pilot: Pilot) -> None:
    """Wait for the running turn to end and the screen to catch up."""
    app = pilot.app
    await until(pilot, lambda: not app.busy)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


def screen_text(app: VictorApp) -> str:
    """The transcript's text as a person reads it (markdown as its source)."""
    from textual.widgets import Markdown, Static

    from victor.ui.tui.widgets.tool_card import ToolCard

    parts = []
    for widget in app.chat.transcript.children:
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, ToolCard):
            parts.extend(str(static.render()) for static in widget.query(Static))
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def unfocus(pilot: Pilot) -> None:
    """Take the focus off the prompt, so that no blinking cursor makes a screenshot depend on when it
    was taken."""
    pilot.app.screen.set_focus(None)
    await pilot.pause()
