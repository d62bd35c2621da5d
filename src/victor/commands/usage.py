"""`victor usage [--since DATE] [--by provider|model|task|day] [--json]`: tokens, cost, the local
share, and what the local tokens would have cost at the cloud profile's prices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from victor.audit.reports import Usage
    from victor.config import Config


def register(app: typer.Typer) -> None:
    app.command("usage")(usage)


def usage(
    since: str | None = typer.Option(None, "--since",
                                     help="From this time: 2026-11-01, 'today', 12h, 7d (default: all)."),
    by: str | None = typer.Option(None, "--by", help="Group by provider, model, task or day."),
    json_output: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """Tokens, cost and local-versus-cloud share from the audit log's model requests."""
    import json

    from victor.audit.logfiles import log_path
    from victor.audit.records import RecordFilter, read_records
    from victor.audit.reports import GROUPINGS, MODEL_REQUEST, summarize
    from victor.audit.since import parse_since
    from victor.config import load_config
    from victor.errors import UsageError

    if by is not None and by not in GROUPINGS:
        raise UsageError(f"--by: cannot group by '{by}'", hint=f"use one of: {', '.join(GROUPINGS)}")
    config = load_config().config
    start = parse_since(since) if since else None
    price, priced_at = _cloud_price(config)
    matches = RecordFilter(actions=(MODEL_REQUEST,), since=start)
    total, groups = summarize(filter(matches, read_records(log_path(config.audit))), by=by, cloud_price=price)
    if json_output:
        typer.echo(json.dumps({
            "since": start.isoformat() if start else None, "by": by, "cloud_profile": config.routing.cloud_profile,
            "total": total.as_dict(), "groups": {key: group.as_dict() for key, group in sorted(groups.items())},
        }))
        return
    _print_report(total, groups, by, since, priced_at)


def _cloud_price(config: Config) -> tuple[Callable[[int, int], float] | None, str]:
    """A price for local tokens at `routing.cloud_profile`'s rates, and a note saying which rates."""
    name = config.routing.cloud_profile
    profile = config.profiles.get(name) if name else None
    if profile is None:
        return None, "n/a: no routing.cloud_profile to price against"
    from victor.providers.pricing import cost_usd, price_per_mtok

    if price_per_mtok(profile.provider, profile.model or "", profile.pricing) is None:
        return None, f"n/a: no price known for {profile.provider} {profile.model} (set pricing on profile '{name}')"

    def price(input_tokens: int, output_tokens: int) -> float:
        return cost_usd(profile.provider, profile.model or "", input_tokens, output_tokens, override=profile.pricing)

    return price, f"at {name}'s prices ({profile.provider} {profile.model})"


def _print_report(total: Usage, groups: dict[str, Usage], by: str | None, since: str | None, priced_at: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from victor.ui.output import out

    share = "n/a" if total.local_share is None else f"{total.local_share:.0%}"
    saved = priced_at if total.saved_usd is None else f"${total.saved_usd:,.4f} {priced_at}"
    out().print(Text(
        f"Usage {'since ' + since if since else 'over the whole log'}: {total.requests} model requests\n"
        f"tokens: {total.input_tokens:,} in, {total.output_tokens:,} out   cost: ${total.cost_usd:,.4f}\n"
        f"local share: {share} of tokens   saved by routing local: {saved}"
    ))
    if not by:
        return
    table = Table(title_justify="left", title=f"by {by}")
    for column in (by, "requests", "tokens in", "tokens out", "cost USD", "local share"):
        table.add_column(column, justify="left" if column == by else "right")
    for key, group in sorted(groups.items()):
        local = "n/a" if group.local_share is None else f"{group.local_share:.0%}"
        table.add_row(Text(key), str(group.requests), f"{group.input_tokens:,}", f"{group.output_tokens:,}",
                      f"{group.cost_usd:,.4f}", local)
    out().print(table)
