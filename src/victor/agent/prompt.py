"""The system prompt: a compact base (local models have small windows; measured by
bench/prompt_size.py) plus the repository's AGENTS.md and `.victor/instructions.md`."""

from __future__ import annotations

from pathlib import Path

INSTRUCTION_FILES = ("AGENTS.md", ".victor/instructions.md")
MAX_INSTRUCTIONS_CHARS = 8_000

BASE_PROMPT = """You are Victor, a coding agent working in the repository at {root}.
Files the request names are included after it; use the tools to inspect others, never guess contents.
Paths are relative to the repository root. To change a file, call write_file or edit_file, or reply
with its path on one line and then its complete new content in one fenced code block.
run_shell runs in a sandbox without network. Keep answers short and concrete.
When the task is done, answer in plain text without calling a tool."""

NO_TOOLS_PROMPT = "You are Victor, a coding assistant. Answer concisely."


def system_prompt(root: Path, *, tools: bool = True) -> str:
    parts = [BASE_PROMPT.format(root=root.name or root) if tools else NO_TOOLS_PROMPT]
    for name in INSTRUCTION_FILES:
        path = root / name
        if path.is_file() and not path.is_symlink():
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if len(text) > MAX_INSTRUCTIONS_CHARS:
                text = text[:MAX_INSTRUCTIONS_CHARS] + "\n[… truncated]"
            parts.append(f"Instructions from {name}:\n{text}")
    return "\n\n".join(parts)
