"""Event classes and the wire names they are written as (shared/cli.md) agree: each class is its
`type` in CamelCase plus "Event", so `tool_result` is ToolResultEvent and `done` is DoneEvent."""

from __future__ import annotations

from victor.agent import events


def test_every_event_class_is_named_after_its_wire_name() -> None:
    classes = [cls for cls in vars(events).values()
               if isinstance(cls, type) and issubclass(cls, events.AgentEvent) and cls is not events.AgentEvent]
    assert {cls.type for cls in classes} == {"session", "route", "text", "tool_call", "tool_output", "approval",
                                             "tool_result", "usage", "error", "done"}
    for cls in classes:
        assert cls.__name__ == "".join(part.title() for part in cls.type.split("_")) + "Event"
