"""Routing and policy: where each request goes (task type × sensitivity × data class × budget ×
health × offline mode), why, and the egress guard that keeps offline mode offline.

`Router(loaded, audit=..., notify=..., health=...).decide(RouteRequest(...)) -> RouteDecision`; on a
retryable ProviderError, `router.fallback(decision, error)` gives the next link of the chain or None.
`RoutedSelector` (selector.py) puts the router behind the agent's ModelSelector.
The names are imported on first use, so `victor.routing.egress` can be installed at start-up
without loading the configuration machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from victor.lazy_exports import lazy_exports

if TYPE_CHECKING:  # a type checker sees the real names; at run time they load on first use
    from victor.routing.decision import Reason as Reason
    from victor.routing.decision import RouteDecision as RouteDecision
    from victor.routing.decision import RouteRequest as RouteRequest
    from victor.routing.health import HealthTracker as HealthTracker
    from victor.routing.router import Router as Router

_EXPORTS = {
    "HealthTracker": "victor.routing.health",
    "Reason": "victor.routing.decision",
    "RouteDecision": "victor.routing.decision",
    "RouteRequest": "victor.routing.decision",
    "Router": "victor.routing.router",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
