"""The TUI's Approver: the agent's worker thread asks, a dialog answers, the thread waits."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from victor.agent.approval import ApprovalRequest, Decision
from victor.ui.tui.dialogs.approval import ApprovalDialog

if TYPE_CHECKING:
    from textual.app import App


class DialogApprover:
    """Called from the turn's worker thread; shows an ApprovalDialog on the app's thread and blocks
    until it is answered. `deny_pending()` answers an open dialog with "deny" (on Ctrl+C, on quit)."""

    interactive = True

    def __init__(self, app: App[None]) -> None:
        self.app = app
        self._pending: Future[Decision] | None = None

    def ask(self, request: ApprovalRequest) -> Decision:
        answer: Future[Decision] = Future()
        self._pending = answer
        self.app.call_from_thread(self._show, request)
        try:
            return answer.result()
        finally:
            self._pending = None

    def _show(self, request: ApprovalRequest) -> None:
        """On the app's thread: open the dialog; its answer comes back through `_answer`."""
        self.app.push_screen(ApprovalDialog(request), self._answer)

    def _answer(self, decision: Decision | None) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.set_result(decision or "deny")

    def deny_pending(self) -> None:
        """Answer an open question with "deny" (on Ctrl+C, on quit); the caller closes the dialog."""
        self._answer("deny")
