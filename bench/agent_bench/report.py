"""The result table: one row per task and agent, then per-agent totals and the Victor/Aider ratios.

Definitions: a task is solved when it passes after attempt 2 (or 1); "median wall per solved task" is
the median wall time of the solved tasks; "input tokens per solved task" is all input tokens spent
(failed tasks included) divided by the number solved."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class TaskResult:
    task: str
    agent: str
    pass1: bool
    pass2: bool
    wall_s: float
    turns: int
    input_tokens: int
    output_tokens: int
    tests_edited: int
    edits_ok: int = 0
    edits: int = 0
    prompt_evals: list[int] = field(default_factory=list)


HEADER = (f"{'task':<20} {'agent':<7} {'p1':>3} {'p2':>3} {'wall s':>7} {'turns':>5} {'in tok':>7} "
          f"{'out tok':>7} {'eval tok':>8} {'test ed':>7} {'edits ok':>8}")


def row(result: TaskResult) -> str:
    mark = {True: "y", False: "-"}
    evals = str(sum(result.prompt_evals)) if result.prompt_evals else "n/a"
    return (f"{result.task:<20} {result.agent:<7} {mark[result.pass1]:>3} {mark[result.pass2]:>3} "
            f"{result.wall_s:>7.0f} {result.turns:>5} {result.input_tokens:>7} {result.output_tokens:>7} "
            f"{evals:>8} {result.tests_edited:>7} {f'{result.edits_ok}/{result.edits}':>8}")


@dataclass(frozen=True)
class Totals:
    agent: str
    tasks: int
    pass1: int
    pass2: int
    median_wall_solved: float | None
    input_per_solved: float | None
    tests_edited: int
    edits_ok: int
    edits: int

    @property
    def pass_rate(self) -> float:
        return 100.0 * self.pass2 / self.tasks if self.tasks else 0.0


def totals(results: list[TaskResult], agent: str) -> Totals:
    mine = [r for r in results if r.agent == agent]
    solved = [r for r in mine if r.pass2]
    return Totals(
        agent=agent, tasks=len(mine), pass1=sum(r.pass1 for r in mine), pass2=len(solved),
        median_wall_solved=statistics.median(r.wall_s for r in solved) if solved else None,
        input_per_solved=sum(r.input_tokens for r in mine) / len(solved) if solved else None,
        tests_edited=sum(r.tests_edited for r in mine),
        edits_ok=sum(r.edits_ok for r in mine), edits=sum(r.edits for r in mine),
    )


def totals_line(t: Totals) -> str:
    wall = f"{t.median_wall_solved:.0f} s" if t.median_wall_solved is not None else "n/a"
    tokens = f"{t.input_per_solved:.0f}" if t.input_per_solved is not None else "n/a"
    share = f"{100 * t.edits_ok / t.edits:.0f}%" if t.edits else "n/a"
    return (f"{t.agent}: pass after attempt 1 {t.pass1}/{t.tasks}, after attempt 2 {t.pass2}/{t.tasks} "
            f"({t.pass_rate:.0f}%); median wall per solved task {wall}; input tokens per solved task {tokens}; "
            f"runs that edited a test {t.tests_edited}; well-formed edits {t.edits_ok}/{t.edits} ({share})")


def ratios_line(victor: Totals, aider: Totals) -> str:
    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}" if a is not None and b else "n/a"

    return (f"Victor/Aider: pass rate {victor.pass_rate:.0f}% vs {aider.pass_rate:.0f}% "
            f"({victor.pass_rate - aider.pass_rate:+.0f} points, ratio {ratio(victor.pass_rate, aider.pass_rate)}); "
            f"median wall per solved task {ratio(victor.median_wall_solved, aider.median_wall_solved)}; "
            f"input tokens per solved task {ratio(victor.input_per_solved, aider.input_per_solved)}")


def summary(results: list[TaskResult], agents: list[str]) -> list[str]:
    lines = [totals_line(totals(results, agent)) for agent in agents]
    if "victor" in agents and "aider" in agents:
        lines.append(ratios_line(totals(results, "victor"), totals(results, "aider")))
    return lines
