"""A Finding: one secret located in a text. Its repr and str show only a 4-character preview."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """A secret found by `rule` (e.g. "github-pat", family `kind`) at char offsets [start, end)."""

    rule: str
    kind: str
    start: int
    end: int
    line: int
    secret: str = field(repr=False, compare=False)
    path: str | None = None

    @property
    def preview(self) -> str:
        """The first 4 characters and an ellipsis: safe to print."""
        return self.secret[:4] + "…"

    @property
    def hashed_secret(self) -> str:
        """The SHA-1 hex digest detect-secrets stores in `.secrets.baseline`."""
        import hashlib

        return hashlib.sha1(self.secret.encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        where = f"{self.path}:" if self.path else ""
        return f"Finding({self.rule}, {where}{self.line}, {self.preview!r})"

    __str__ = __repr__
