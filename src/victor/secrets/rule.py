"""The Rule record: one secret format as data (keywords for the prefilter, a regex, an entropy floor)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, eq=False)
class Rule:
    """One secret format.

    `keywords` are lower-case literals; the rule's regex runs only on lines holding one of them.
    The regex's named group `s` (else the whole match) is the secret. `entropy` is the floor on the
    secret's normalised entropy (0..1, see entropy.py). `generic` rules guess from context
    (keyword = value), so hash contexts and placeholder values silence them. `multiline` rules run
    on the whole text from the keyword on, for values spanning lines (private keys). `check`, when
    set, must accept the secret (a structural test, e.g. that a JWT header decodes). `lead`, when set,
    is how far before its first keyword on a line a match can start: the search begins there. `owns`,
when set, is a regex for how this provider's values begin: a context rule leaves a value that begins
so to this rule, which knows the exact shape (a near-miss `dapi…` with a bad body is not a password).
    """

    id: str
    kind: str
    keywords: tuple[str, ...]
    pattern: str
    entropy: float = 0.0
    generic: bool = False
    multiline: bool = False
    ignorecase: bool = False
    check: Callable[[str], bool] | None = None
    lead: int | None = None
    owns: str | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        flags = re.IGNORECASE if self.ignorecase else 0
        return re.compile(self.pattern, flags | (re.DOTALL if self.multiline else 0))
