"""Loop detection for weak models: a call identical to an earlier one in the same run is not run
again, and a result identical to an earlier one is flagged. Either way the next turn offers no tools,
so the model has to answer in text instead of circling until the turn limit."""

from __future__ import annotations

import json

from victor.providers.base import ToolCall

REPEATED_CALL = ("You already have the result of {name} with these arguments above (files named in the request "
                 "are in its message). Don't repeat it: if the task needs a change, make it now; otherwise "
                 "answer the user in plain text.")
SAME_RESULT = ("[This is the same result as an earlier call. If the task needs a change, make it now; otherwise "
               "answer the user in plain text.]")


class RepeatGuard:
    def __init__(self) -> None:
        self._calls: set[str] = set()
        self._results: set[str] = set()
        self.answer_now = False

    def repeated(self, call: ToolCall) -> str | None:
        """The message to send instead of running `call` again, or None when it is new."""
        key = f"{call.name} {json.dumps(call.arguments, sort_keys=True)}"
        if key in self._calls:
            self.answer_now = True
            return REPEATED_CALL.format(name=call.name)
        self._calls.add(key)
        return None

    def checked_result(self, content: str, ok: bool) -> str:
        """`content`, with a note when a successful call returned exactly what an earlier one did."""
        if ok and content in self._results:
            self.answer_now = True
            return content + "\n\n" + SAME_RESULT
        self._results.add(content)
        return content
