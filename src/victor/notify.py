"""`Notify`: how code below the front ends tells the user something (one warning line) without
importing a UI. The front end passes its own down (`victor.ui.output.warn` prints it on the
console); `to_stderr` serves callers that have no front end of their own."""

from __future__ import annotations

import sys
from collections.abc import Callable

Notify = Callable[[str], None]


def to_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)
