"""SVG snapshots of what a person sees: the main screen after an answer, the approval dialog over
an edit, and the status bar in offline mode. Usage is scripted so token counts never vary."""

from __future__ import annotations

import pytest

from tests.support.scripted_provider import ScriptedProvider
from tests.tui.conftest import SIZE, answer
from tests.tui.pilot_helpers import ready, send, settle, unfocus, until
from victor.providers.base import ToolCall, Usage
from victor.ui.tui.dialogs.approval import ApprovalDialog

ANSWER = answer(
    "The greeting lives in `app.py`:\n\n",
    "```python\nGREETING = 'hello'\n```\n\n",
    "- change the string to *hi*\n- run the tests\n",
)


@pytest.fixture
def budget(victor_home) -> None:
    (victor_home / "profiles.yaml").write_text("budgets:\n  daily_usd: 5.0\n")


def test_main_screen(snap_compare, make_app, use_provider, budget) -> None:
    use_provider(ScriptedProvider([[*ANSWER, Usage(1200, 48)]]))

    async def ask(pilot) -> None:  # noqa: ANN001 - a Pilot
        await ready(pilot)
        await send(pilot, "where is the greeting?")
        await settle(pilot)
        await unfocus(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)


def test_approval_dialog(snap_compare, make_app, use_provider, budget) -> None:
    edit = ToolCall("c1", "edit_file", {"path": "app.py", "old_text": "'hello'", "new_text": "'hi'"})
    use_provider(ScriptedProvider([[edit, Usage(900, 20)], answer("Done.")]))

    async def ask(pilot) -> None:  # noqa: ANN001 - a Pilot
        await ready(pilot)
        await send(pilot, "say hi instead")
        await until(pilot, lambda: isinstance(pilot.app.screen, ApprovalDialog))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)


def test_status_bar_offline(snap_compare, make_app, use_provider, budget) -> None:
    use_provider(ScriptedProvider([[*answer("All local."), Usage(300, 4)]]))

    async def ask(pilot) -> None:  # noqa: ANN001 - a Pilot
        await ready(pilot)
        await send(pilot, "/task code_review")
        await send(pilot, "review app.py")
        await settle(pilot)
        await unfocus(pilot)

    assert snap_compare(make_app(offline=True), terminal_size=(120, 12), run_before=ask)
