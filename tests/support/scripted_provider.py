"""A provider that replays fixed model events. It stands in for the model only: the loop, tools,
policy, sandbox and audit under test are the real ones."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from victor.providers.base import (
    Capabilities,
    Done,
    Event,
    Message,
    StreamOptions,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
)


class ScriptedProvider:
    """Each call to `stream` replays the next script: a list of events (TextDelta, ToolCall, ...).
    A Usage and a Done are added when a script has none. Calls are recorded in `calls`, their options
in `options`."""

    provider = "scripted"

    def __init__(self, scripts: list[list[Event]], *, profile: str = "scripted", model: str = "scripted-1") -> None:
        self.scripts = list(scripts)
        self.profile = profile
        self.model = model
        self.capabilities = Capabilities(native_tools=True, json_schema=True, context_window=8192)
        self.calls: list[tuple[list[Message], list[ToolSpec]]] = []
        self.options: list[StreamOptions | None] = []

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec] = (), options: StreamOptions | None = None
    ) -> Iterator[Event]:
        self.calls.append((list(messages), list(tools)))
        self.options.append(options)
        script = self.scripts.pop(0) if self.scripts else [TextDelta("(no more scripted turns)")]
        yield from script
        if not any(isinstance(event, Usage) for event in script):
            yield Usage(input_tokens=sum(len(m.content) // 4 for m in messages), output_tokens=10)
        if not any(isinstance(event, Done) for event in script):
            has_calls = any(isinstance(event, ToolCall) for event in script)
            yield Done("tool_calls" if has_calls else "end")

    def list_models(self) -> list[str]:
        return [self.model]

    def close(self) -> None:
        pass
