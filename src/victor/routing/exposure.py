"""What a conversation exposes to a model, read from its messages themselves: every part of the
request as labelled text (for the secret and personal-data scan) and the workspace files it has read,
written or named (for data classes). The agent sends the whole history each turn, so the whole
history is what is checked; each message's files are remembered by a hash of the message, so a long
session pays only for its new messages.

Files count when a user message (its own words and the files attached to it; not the repository
map, not the words inside an attached or pasted block) or a tool call's argument names one that
exists in the workspace (read_file's path, write_file's path, a path or a glob in a shell command),
and when a tool whose output quotes other files' lines (grep, git_diff, run_shell) names them. A symlink counts as the link and its target; a
hard-linked file as every name it has in the workspace.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from victor.providers.base import Message

# agent/prompt.py heads each instructions file with this line; a finding below it names the file.
INSTRUCTIONS_HEADER = re.compile(r"^Instructions from (\S+):$", re.MULTILINE)
# agent/grounding.py appends a map of file names to a session's first prompt (names, not contents),
# and each named file as `path` then a fenced block: the path counts, not the words inside. Were
# that format to change, more would count as named: stricter, never looser.
NOT_NAMING = re.compile(r"^Repository files:\n(?:[^\n]+\n?)*|^```.*?^```", re.MULTILINE | re.DOTALL)
PATH_TOKEN = re.compile(r"[^\s'\"`,;:()\[\]{}<>|&=!]+")
QUOTING_TOOLS = frozenset({"grep", "git_diff", "run_shell"})
SHELL_TOOLS = frozenset({"run_shell"})
MAX_PATH_CHARS = 4096
MAX_GLOB_MATCHES = 1000
GLOB_MAGIC = re.compile(r"[*?\[]")


def request_parts(messages: list[Message]) -> tuple[str, list[tuple[str, str]]]:
    """The latest user message (the prompt), and every other part of `messages` as (where, text)."""
    latest = next((index for index in range(len(messages) - 1, -1, -1) if messages[index].role == "user"), None)
    counts: dict[str, int] = {}
    parts: list[tuple[str, str]] = []
    for index, message in enumerate(messages):
        if index != latest:
            parts += _parts(message, counts)
    return (messages[latest].content if latest is not None else ""), parts


def _parts(message: Message, counts: dict[str, int]) -> Iterator[tuple[str, str]]:
    if message.role == "system":
        yield from _system_parts(message.content)
    elif message.role == "tool":
        yield f"tool result {_next(counts, 'tool')} ({message.name})", message.content
    else:
        label = "earlier prompt" if message.role == "user" else "model reply"
        yield f"{label} {_next(counts, message.role)}", message.content
    for call in message.tool_calls:  # each string apart, as the redactor will see it
        label = f"tool call {_next(counts, 'call')} ({call.name})"
        yield from ((label, string) for string in _strings(call.arguments))


def _system_parts(prompt: str) -> Iterator[tuple[str, str]]:
    """The system prompt, split so a finding in an instructions file names that file."""
    headers = list(INSTRUCTIONS_HEADER.finditer(prompt))
    yield "system prompt", prompt[: headers[0].start()] if headers else prompt
    for header, following in zip(headers, [*headers[1:], None], strict=False):  # no header: no pair
        yield f"system prompt ({header.group(1)})", prompt[header.start() : following.start() if following else None]


def _next(counts: dict[str, int], kind: str) -> int:
    counts[kind] = counts.get(kind, 0) + 1
    return counts[kind]


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a tool call's arguments, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class ExposedFiles:
    """The workspace files a conversation has read, written or named, as repository-relative posix
    paths (directories end with '/')."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._known: dict[bytes, frozenset[str]] = {}

    def paths(self, messages: list[Message]) -> list[str]:
        found: set[str] = set()
        for message in messages:
            found |= self._of(message)
        return sorted(found)

    def _of(self, message: Message) -> frozenset[str]:
        calls = [[call.name, call.arguments] for call in message.tool_calls]
        digest = json.dumps([message.role, message.name, message.content, calls], default=str, sort_keys=True)
        key = hashlib.sha256(digest.encode("utf-8", "surrogatepass")).digest()
        if key not in self._known:
            texts = [(string, call.name in SHELL_TOOLS) for call in message.tool_calls
                     for string in _strings(call.arguments)]
            if message.role == "user":
                texts.append((NOT_NAMING.sub("", message.content), False))
            elif message.role == "tool" and message.name in QUOTING_TOOLS:
                texts.append((message.content, False))
            self._known[key] = frozenset(path for text, shell in texts for path in self._named(text, shell))
        return self._known[key]

    def _named(self, text: str, shell: bool) -> Iterator[str]:
        """Workspace paths `text` names; in a shell command, a glob names what the shell expands it to."""
        candidates = {text.strip(), *PATH_TOKEN.findall(text)}
        for candidate in candidates:
            if not 0 < len(candidate) <= MAX_PATH_CHARS or "\0" in candidate:
                continue
            if candidate.startswith(("a/", "b/")):  # a diff's a/PATH and b/PATH
                yield from self._inside(candidate[2:])
            if shell and GLOB_MAGIC.search(candidate):
                for match in itertools.islice(glob.iglob(candidate, root_dir=self.root), MAX_GLOB_MATCHES):
                    yield from self._inside(match)
            else:
                yield from self._inside(candidate)

    def _inside(self, name: str) -> Iterator[str]:
        """`name` as workspace-relative paths, if it exists: itself, its target when it is a symlink,
        and every other name of the same file when it is hard-linked."""
        lexical = Path(os.path.normpath(self.root / name))
        if not (lexical.is_relative_to(self.root) and lexical != self.root and os.path.lexists(lexical)):
            return
        real = lexical.resolve()
        for path in {lexical, real, *self._hard_links(real)}:
            if path.is_relative_to(self.root) and path != self.root:
                yield path.relative_to(self.root).as_posix() + ("/" if path.is_dir() else "")

    def _hard_links(self, path: Path) -> list[Path]:
        """The workspace's other names for `path` (a file the sandbox linked with `ln`); rare, so a walk."""
        try:
            stat = path.stat()
        except OSError:
            return []
        if not path.is_file() or stat.st_nlink < 2:
            return []
        found = []
        for directory, subdirectories, files in os.walk(self.root):
            subdirectories[:] = [name for name in subdirectories if name != ".git"]
            for name in files:
                other = Path(directory, name)
                with contextlib.suppress(OSError):
                    if os.path.samestat(other.lstat(), stat):
                        found.append(other)
        return found
