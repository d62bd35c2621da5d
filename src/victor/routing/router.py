"""The router: one decision per turn, in the order of the data flow. Task rule picks a candidate
profile, then offline mode, sensitivity, data class, budget and health may each move it (only ever
towards this machine) or refuse. Every step leaves a Reason; every decision is audited.

`fallback()` walks the failed profile's fallback chain after a retryable ProviderError: audited, with
a reason on the new decision (the agent loop reports it, once), and never to the cloud with
sensitive data or in offline mode. A budget alert goes to the user through `notify`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from victor.audit.sink import AuditSink
from victor.config import LoadedConfig, ProfileConfig
from victor.errors import PolicyDenied, ProviderError, VictorError
from victor.notify import Notify, to_stderr
from victor.routing.budget import check_budget
from victor.routing.data_classes import Classification, classify_request
from victor.routing.decision import Reason, RouteDecision, RouteRequest
from victor.routing.health import HealthTracker
from victor.routing.redaction import RequestRedactor
from victor.routing.sensitivity import Sensitivity, SensitivityScanner
from victor.routing.tasks import check_task, classify


class Router:
    """Decides where each request goes. `audit`: where decisions are recorded and spend is counted
    from; `notify`: how a budget alert reaches the user; `health`: a HealthTracker shared across
    turns; `now`: a clock returning an aware datetime."""

    def __init__(self, loaded: LoadedConfig, *, audit: AuditSink, notify: Notify = to_stderr,
                 health: HealthTracker | None = None, now: Callable[[], datetime] | None = None) -> None:
        self.loaded = loaded
        self.config = loaded.config
        self.audit = audit
        self.notify = notify
        self.health = health or HealthTracker()
        self.scanner = SensitivityScanner()  # one per router: a session's turns share its cache
        self._now = now or (lambda: datetime.now().astimezone())

    def decide(self, request: RouteRequest) -> RouteDecision:
        """Where `request` goes and why; raises PolicyDenied when policy refuses it everywhere."""
        if request.task is None:
            task, task_reason = classify(request.prompt)
        else:
            task, task_reason = check_task(request.task), f"{request.task}: given with --task"
        reasons = [Reason("task", task_reason)]
        sensitivity = self.scanner.scan(request.prompt, request.files, request.context)
        data_class = classify_request([*request.files, *request.paths], self.config.data_classes,
                                      request.session_class)
        try:
            name = self._candidate(request, task, reasons)
            name, redact = self._apply_sensitivity(name, sensitivity, reasons)
            name = self._apply_data_class(name, data_class, reasons)
            name = self._apply_budget(name, data_class, reasons)
            name = self._apply_health(name, sensitivity, data_class, reasons)
        except PolicyDenied as denied:
            self.audit.record("request_blocked", success=False, decision="blocked", task=task, reason=denied.message,
                         reasons=[reason.as_dict() for reason in reasons])
            raise
        redactor = self._redactor(name, redact, sensitivity)
        decision = self._decision(name, task, reasons, sensitivity, data_class, redactor)
        self.audit.record("route", **_audit_fields(decision))
        return decision

    def fallback(self, decision: RouteDecision, error: ProviderError) -> RouteDecision | None:
        """The next usable link of `decision.profile`'s fallback chain after `error`, or None."""
        if not error.retryable:
            return None
        failed = decision.profile
        self.health.record_failure(failed)
        tried = [*decision.tried, failed]
        target = next((name for name in self._chain(failed) if name not in tried
                       and self._usable(name, decision.sensitivity, decision.data_class)), None)
        status = f" (HTTP {error.status})" if error.status else ""
        if target is None:
            self.audit.record("fallback", success=False, from_profile=failed, error=error.message + status)
            return None
        reason = Reason("fallback", f"'{failed}' failed{status}; fell back to '{target}'")
        new = self._decision(target, decision.task, [*decision.reasons, reason], decision.sensitivity,
                             decision.data_class, redactor=None)
        new.tried = tried
        self.audit.record("fallback", from_profile=failed, to_profile=target, error=error.message + status,
                     **_audit_fields(new))
        return new

    # -- the steps of decide() -------------------------------------------------------------------

    def _candidate(self, request: RouteRequest, task: str, reasons: list[Reason]) -> str:
        """The profile the request asks for (--profile) or the task rule picks; offline keeps it local."""
        name = self._task_rule(request, task, reasons)
        if self._is_local(name) or not self.config.offline_mode:
            return name
        if request.profile:
            raise PolicyDenied(
                f"offline mode: profile '{name}' ({self.config.profiles[name].provider}) would send the request "
                "off this machine",
                hint=f"use a local profile (--profile {self.local_profile()}), or turn offline mode off "
                "(offline_mode: false, VICTOR_OFFLINE unset)",
            )
        local = self.local_profile()
        reasons.append(Reason("offline", f"offline mode: '{name}' is off this machine → '{local}'"))
        return local

    def _task_rule(self, request: RouteRequest, task: str, reasons: list[Reason]) -> str:
        routing = self.config.routing
        if request.profile:
            name, why = self.loaded.profile_name(request.profile), "requested with --profile"
        elif task in routing.cloud_tasks and routing.cloud_profile:
            name, why = routing.cloud_profile, f"{task} is a cloud task (routing.cloud_tasks)"
        elif task in routing.local_tasks:
            name, why = self.local_profile(), f"{task} is a local task (routing.local_tasks)"
        else:
            name, why = self.config.default_profile, f"no routing rule for {task}: the default profile"
        reasons.append(Reason("profile", f"'{name}': {why}"))
        if request.profile or self._is_local(name) or self._configured(name):
            return name
        local = self.local_profile()
        reasons.append(Reason("profile", f"'{name}' is not usable here ({self._unusable_because(name)}) → '{local}'"))
        return local

    def _apply_sensitivity(self, name: str, sensitivity: Sensitivity, reasons: list[Reason]) -> tuple[str, bool]:
        """The profile after the sensitive-data policy, and whether the request must be redacted."""
        found = sensitivity.describe()
        if not sensitivity.sensitive:
            reasons.append(Reason("sensitivity", found))
            return name, False
        self.audit.record("secret_detected", types=sensitivity.types(), findings=sensitivity.as_list(), profile=name)
        if self._is_local(name):
            reasons.append(Reason("sensitivity", f"{found}: stays on this machine"))
            return name, False
        policy = self.config.profiles[name].sensitive_data
        if policy == "block":
            raise PolicyDenied(
                f"profile '{name}' blocks sensitive data, and the request holds {found}",
                hint=f"remove it from the request, or use a local profile (--profile {self.local_profile()})",
            )
        if policy == "redact":
            reasons.append(Reason("sensitivity", f"{found}: '{name}' policy redact sends typed placeholders"))
            return name, True
        local = self.local_profile()
        reasons.append(Reason("sensitivity", f"{found}: '{name}' policy route_local keeps it on this machine "
                                             f"→ '{local}'"))
        return local, False

    def _redactor(self, name: str, redact: bool, sensitivity: Sensitivity) -> RequestRedactor | None:
        """A RequestRedactor when the request leaves this machine under the redact policy."""
        if not redact or self._is_local(name):
            return None
        self.audit.record("secret_redacted", types=sensitivity.types(), profile=name)
        return RequestRedactor()

    def _apply_data_class(self, name: str, data_class: Classification, reasons: list[Reason]) -> str:
        reasons.append(Reason("data_class", data_class.describe()))
        provider = self.config.profiles[name].provider
        if data_class.allows(provider, local=self._is_local(name)):
            return name
        local = self.local_profile(data_class)
        if not self._is_local(name) and self.config.profiles[name].sensitive_data == "block":
            raise PolicyDenied(
                f"{data_class.level} data may not go to '{name}' ({provider}), and its policy is block",
                hint=f"data_classes.{data_class.level}.providers allows: {', '.join(data_class.providers or [])}",
            )
        reasons.append(Reason("data_class", f"'{name}' ({provider}) may not see {data_class.level} data → '{local}'"))
        return local

    def _apply_budget(self, name: str, data_class: Classification, reasons: list[Reason]) -> str:
        if self._is_local(name):
            return name
        budgets = self.config.budgets
        status = check_budget(budgets, name, now=self._now(), audit=self.audit)
        if status.state == "ok":
            reasons.append(Reason("budget", status.describe()))
            return name
        worst = status.worst
        fields: dict[str, Any] = {"profile": name, "period": worst.period, "scope": worst.scope,
                                  "spent_usd": round(worst.spent, 6), "limit_usd": worst.limit}
        if status.state == "alert":
            self.audit.record("budget_alert", **fields)
            self.notify(status.describe())
            reasons.append(Reason("budget", status.describe()))
            return name
        self.audit.record("budget_exceeded", on_exceeded=budgets.on_exceeded, **fields)
        if budgets.on_exceeded == "block":
            raise PolicyDenied(f"over budget, and budgets.on_exceeded is block: {status.describe()}",
                               hint="wait for the next period, raise budgets.*_usd, or use a local profile "
                               f"(--profile {self.local_profile(data_class)})")
        local = self.local_profile(data_class)
        reasons.append(Reason("budget", f"{status.describe()}: on_exceeded switch_to_local → '{local}'"))
        return local

    def _apply_health(self, name: str, sensitivity: Sensitivity, data_class: Classification,
                      reasons: list[Reason]) -> str:
        if self.health.allows(name):
            reasons.append(Reason("health", self.health.describe(name)))
            return name
        target = next((link for link in self._chain(name) if self._usable(link, sensitivity, data_class)), None)
        if target is None:
            reasons.append(Reason("health", f"{self.health.describe(name)}; no healthy fallback, trying it anyway"))
            return name
        reasons.append(Reason("health", f"{self.health.describe(name)} → fallback '{target}'"))
        return target

    # -- helpers -----------------------------------------------------------------------------------

    def local_profile(self, data_class: Classification | None = None) -> str:
        """The profile that plays "local": routing.local_profile, else the default if it is local, else
        the first local link of its fallback chain, else any local profile; with `data_class`, the
        first of those (or of the local profile's own chain) whose provider may see that data."""
        config = self.config
        start = config.routing.local_profile or config.default_profile
        for name in [start, *self._chain(start), *sorted(config.profiles)]:
            if self._is_local(name) and (data_class is None
                                         or data_class.allows(config.profiles[name].provider, local=True)):
                return name
        data = f" allowed to see {data_class.level} data" if data_class else ""
        raise PolicyDenied(f"no local profile{data} is configured, and this request must stay on this machine",
                           hint="add a local profile (provider ollama or llamacpp) and set routing.local_profile")

    def _is_local(self, name: str) -> bool:
        return self.config.profiles[name].is_local

    def _chain(self, name: str) -> list[str]:
        """Every profile reachable through fallback links from `name`, breadth first, without `name`."""
        chain: list[str] = []
        pending = list(self.config.profiles[name].fallback)
        while pending:
            link = pending.pop(0)
            if link in self.config.profiles and link not in chain and link != name:
                chain.append(link)
                pending.extend(self.config.profiles[link].fallback)
        return chain

    def _usable(self, name: str, sensitivity: Sensitivity, data_class: Classification) -> bool:
        """May a fallback go to `name`? Healthy, configured, allowed for the data; cloud only when
        online, with nothing sensitive, and within budget."""
        profile = self.config.profiles[name]
        if not (self.health.allows(name) and data_class.allows(profile.provider, local=profile.is_local)
                and self._configured(name)):
            return False
        if profile.is_local:
            return True
        if self.config.offline_mode or sensitivity.sensitive:
            return False
        budget = check_budget(self.config.budgets, name, now=self._now(), audit=self.audit)
        return budget.state != "exceeded"

    def _configured(self, name: str) -> bool:
        return self._unusable_because(name) is None

    def _unusable_because(self, name: str) -> str | None:
        """Why a profile cannot be built (an unset environment variable), or None."""
        try:
            self.loaded.profile(name)
        except VictorError as error:
            return error.message.split(": ", 1)[-1]
        return None

    def _decision(self, name: str, task: str, reasons: list[Reason], sensitivity: Sensitivity,
                  data_class: Classification, redactor: RequestRedactor | None) -> RouteDecision:
        profile = self.config.profiles[name]
        return RouteDecision(
            profile=name, provider=profile.provider, model=_model_name(profile),
            location="local" if profile.is_local else "cloud", task=task, reasons=reasons,
            sensitivity=sensitivity, data_class=data_class, redactor=redactor,
        )


def _model_name(profile: ProfileConfig) -> str:
    if profile.model:
        return profile.model
    return Path(profile.model_path).name if profile.model_path else "embedded"


def _audit_fields(decision: RouteDecision) -> dict[str, Any]:
    data = decision.as_dict()
    data["decision"] = data.pop("location")
    data.pop("findings")
    data["finding_types"] = decision.sensitivity.types()
    return data
