"""Budgets: daily and monthly USD limits, global and per profile, against the spend recorded in the
audit log (`model_request` records with `cost_usd`), asked of the session's AuditSink.

A day starts at local midnight and a month on the 1st, in the time zone of the `now` given. A
limit of 0 means no paid requests at all. The worst state over every limit that applies wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from victor.audit.sink import AuditSink
from victor.config.schema import BudgetConfig

STATES = ("ok", "alert", "exceeded")


@dataclass(frozen=True)
class LimitState:
    period: str  # "daily" or "monthly"
    scope: str  # "global" or a profile name
    spent: float
    limit: float
    state: str

    def describe(self) -> str:
        scope = "" if self.scope == "global" else f" for '{self.scope}'"
        return f"{self.period} budget{scope}: ${self.spent:.2f} of ${self.limit:.2f} spent"


@dataclass(frozen=True)
class BudgetStatus:
    limits: list[LimitState]

    @property
    def state(self) -> str:
        return max((limit.state for limit in self.limits), key=STATES.index, default="ok")

    @property
    def worst(self) -> LimitState:
        """The limit furthest along; asked only when `state` is not ok, so there is at least one."""
        return max(self.limits, key=lambda limit: (STATES.index(limit.state), limit.spent / (limit.limit or 1e-9)))

    def describe(self) -> str:
        if not self.limits:
            return "no budget limits set"
        if self.state == "ok":
            return "; ".join(limit.describe() for limit in self.limits)
        worst = self.worst
        return f"{worst.describe()} ({'exceeded' if worst.state == 'exceeded' else 'alert threshold reached'})"


def period_starts(now: datetime) -> dict[str, datetime]:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {"daily": day, "monthly": day.replace(day=1)}


def check_budget(config: BudgetConfig, profile: str, *, now: datetime, audit: AuditSink) -> BudgetStatus:
    """The state of every limit that applies to a paid request on `profile`."""
    applicable: list[tuple[str, str | None, float]] = []
    per_profile = config.per_profile.get(profile)
    for period in ("daily", "monthly"):
        for scope, source in ((None, config), (profile, per_profile)):
            limit = getattr(source, f"{period}_usd", None) if source is not None else None
            if limit is not None:
                applicable.append((period, scope, limit))
    if not applicable:
        return BudgetStatus([])
    starts = period_starts(now)
    states = []
    for period, scope, limit in applicable:
        spent = audit.spend(starts[period], profile=scope)
        state = "exceeded" if spent >= limit else "alert" if spent >= config.alert_at * limit else "ok"
        states.append(LimitState(period, scope or "global", spent, limit, state))
    return BudgetStatus(states)
