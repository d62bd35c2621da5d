"""Slash commands, shared by the TUI and the line-mode console: each returns a Reply in markdown,
plus an action the front end performs itself (clear the screen, quit)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from victor.errors import VictorError
from victor.ui.chat_state import ChatState

if TYPE_CHECKING:
    from victor.agent.transcripts import SessionRecord
    from victor.session import Session

AUDIT_LINES = 12
RESUME_CHOICES = 10
MAX_DIFF_CHARS = 20_000

HELP = """\
| command | what it does |
|---|---|
| `/help` | this list |
| `/profile NAME` | switch to another profile (no NAME: list them) |
| `/model` | the profile, provider and model in use |
| `/task TYPE` | pin the task type for routing (`/task auto` unpins) |
| `/route` | where the last request went, and why |
| `/cost` | tokens and cost today against the budget |
| `/undo` | undo the agent's last file change |
| `/diff` | the uncommitted changes in the workspace |
| `/clear` | clear the screen and start a fresh session |
| `/resume [ID]` | continue an earlier session (no ID: list this workspace's) |
| `/audit` | this session's latest audit records |
| `/quit` | leave (also: Ctrl+C twice) |

Enter sends; Ctrl+J (or Shift/Alt+Enter) adds a line; Up/Down walk the prompt history.
Ctrl+C cancels the running turn; a second Ctrl+C quits."""


@dataclass(frozen=True)
class Reply:
    markdown: str = ""
    action: Literal["", "clear", "quit", "resume"] = ""
    error: bool = False
    session_id: str = ""  # for "resume"


class SlashCommands:
    """Runs `/name args` lines against a session, keeping `state` in step with it."""

    def __init__(self, session: Session, state: ChatState) -> None:
        self.session = session
        self.state = state
        self._handlers: dict[str, Callable[[str], Reply]] = {
            "help": lambda _: Reply(HELP),
            "profile": self.profile,
            "model": self.model,
            "task": self.task,
            "route": self.route,
            "cost": self.cost,
            "undo": self.undo,
            "diff": self.diff,
            "clear": self.clear,
            "resume": self.resume,
            "audit": self.audit,
            "quit": lambda _: Reply(action="quit"),
            "exit": lambda _: Reply(action="quit"),
        }

    def run(self, line: str) -> Reply:
        name, _, argument = line.lstrip("/").partition(" ")
        handler = self._handlers.get(name.lower())
        if handler is None:
            return Reply(f"Unknown command `/{name}`; `/help` lists them.", error=True)
        try:
            return handler(argument.strip())
        except VictorError as exc:  # a refused switch or undo is shown, and the chat goes on
            return Reply(exc.message + (f"\n\nhint: {exc.hint}" if exc.hint else ""), error=True)

    def refresh(self) -> None:
        self.state.load_status(self.session.status())

    def profile(self, name: str) -> Reply:
        if not name:
            from victor.config import load_config

            names = sorted(load_config().config.profiles)
            listed = ", ".join(f"**{n}**" if n == self.state.profile else n for n in names)
            return Reply(f"Profiles: {listed}. Switch with `/profile NAME`.")
        self.session.switch_profile(name)
        self.refresh()
        self.state.switched(self.session.profile, self.session.loaded.profile(self.session.profile))
        return Reply(f"Switched to profile **{self.state.profile}** ({self.state.model}, {self.state.location}).")

    def model(self, _: str) -> Reply:
        return Reply(f"Profile **{self.state.profile}**: model `{self.state.model}` ({self.state.location}).")

    def task(self, task: str) -> Reply:
        from victor.routing.tasks import TASK_TYPES, check_task

        if not task:
            current = self.state.task or "auto (classified from each prompt)"
            return Reply(f"Task type: {current}. Known: {', '.join(TASK_TYPES)}.")
        self.state.task = None if task == "auto" else check_task(task)
        return Reply(f"Task type for the next prompts: **{self.state.task or 'auto'}**.")

    def route(self, _: str) -> Reply:
        route = self.state.route
        if route is None:
            return Reply("No request has been routed yet.")
        reasons = "\n".join(f"- {reason}" for reason in route.reasons) or "- (no reasons given)"
        return Reply(f"Last request went **{route.location.upper()}** to `{route.model}` via {route.provider} "
                     f"(profile {route.profile}):\n\n{reasons}")

    def cost(self, _: str) -> Reply:
        self.refresh()
        state = self.state
        return Reply(f"This session: {state.input_tokens:,} tokens in, {state.output_tokens:,} out, "
                     f"${state.cost_usd:.4f}. Budget: {state.budget}.")

    def undo(self, _: str) -> Reply:
        restored = self.session.undo()
        return Reply("Restored " + ", ".join(f"`{path}`" for path in restored) if restored else "Nothing to undo.")

    def diff(self, _: str) -> Reply:
        from victor.tools.base import ToolError
        from victor.tools.git import DIFF
        from victor.tools.gitcmd import closed_git, host_runner

        try:  # git on the host with every config-driven command path closed: the workspace is hostile
            code, output, error = closed_git(host_runner(self.session.workspace.root), DIFF)
        except ToolError as exc:
            return Reply(f"git diff failed: {exc.message}", error=True)
        if code != 0:
            return Reply(f"git diff failed: {error.strip()}", error=True)
        if not output:
            return Reply("No uncommitted changes.")
        return Reply(f"```diff\n{output[:MAX_DIFF_CHARS]}\n```")

    def clear(self, _: str) -> Reply:
        return Reply(action="clear")

    def resume(self, session_id: str) -> Reply:
        if session_id:
            return Reply(action="resume", session_id=session_id)
        earlier = [record for record in self._sessions() if record.id != self.state.session_id]
        if not earlier:
            return Reply("No earlier session in this workspace.")
        rows = "\n".join(f"| `{r.id}` | {r.profile} | {time.strftime('%Y-%m-%d %H:%M', time.localtime(r.updated))} |"
                         for r in earlier[:RESUME_CHOICES])
        return Reply(f"Earlier sessions here; `/resume ID` continues one.\n\n| id | profile | last used |\n"
                     f"|---|---|---|\n{rows}")

    def _sessions(self) -> list[SessionRecord]:
        """This workspace's sessions, most recently used first."""
        from victor.agent.transcripts import load_session
        from victor.paths import sessions_dir

        folders = sessions_dir().glob("*/meta.json")
        records = [load_session(meta.parent.name) for meta in folders]
        root = str(self.session.workspace.root)
        return sorted((r for r in records if r.workspace == root), key=lambda r: r.updated, reverse=True)

    def audit(self, _: str) -> Reply:
        from victor.paths import audit_log_file

        log = audit_log_file()
        if not log.exists():
            return Reply("The audit log is empty.")
        mine = [r for r in map(_parse, log.read_text(errors="replace").splitlines())
                if r and r.get("session_id") == self.state.session_id]
        if not mine:
            return Reply(f"No audit records for this session yet ({log}).")
        rows = "\n".join(f"| {r.get('seq', '')} | {r.get('action', '')} | {'ok' if r.get('success') else 'failed'} |"
                         for r in mine[-AUDIT_LINES:])
        return Reply(f"Audit log `{log}` (this session, latest {AUDIT_LINES}):\n\n| seq | action | result |\n"
                     f"|---|---|---|\n{rows}")


def _parse(line: str) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None
