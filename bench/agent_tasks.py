"""Agent task benchmark (issue 13): Victor, and optionally Aider, on the task folders of
../shared/agent-tasks under their protocol (README.md there), against ONE model server.

    .venv/bin/python bench/agent_tasks.py --gguf qwen-1.5b.gguf --aider /work/aider-venv/bin/aider
    .venv/bin/python bench/agent_tasks.py --base-url http://127.0.0.1:8080/v1 --tasks leap,pangram
    .venv/bin/python bench/agent_tasks.py --profile embedded --all        # Victor alone, any profile

With --gguf the bench starts `python -m llama_cpp.server --n_ctx 8192` on loopback itself (and reads
from its log the prompt tokens each agent sent and those it evaluated, not reused from its KV
cache: the "in tok" and "eval tok" columns); --base-url uses a running one. Each task runs in
a fresh git repository, each Victor run in its own VICTOR_HOME; attempt 2 only after a failed
attempt 1. One row per task and agent, then totals and the Victor/Aider ratios. Logs and a JSON of
the results go to --out (default: a new temporary folder).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agent_bench.agents import AiderAgent, Attempt, VictorAgent, bench_profiles  # noqa: E402
from agent_bench.report import HEADER, TaskResult, row, summary  # noqa: E402
from agent_bench.server import LlamaServer, model_names  # noqa: E402
from agent_bench.tasks import DEV_TASKS, Task, all_task_names, grade, load_task, make_repo  # noqa: E402

TASKS_ROOT = Path(__file__).resolve().parents[2] / "shared" / "agent-tasks"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.aider and args.profile:
        parser.error("--aider needs the shared server: use --gguf or --base-url, not --profile")
    names = all_task_names(args.tasks_root) if args.all else (args.tasks.split(",") if args.tasks else list(DEV_TASKS))
    tasks = [load_task(args.tasks_root / name) for name in names]
    out = args.out or Path(tempfile.mkdtemp(prefix="agent-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    server = LlamaServer(args.gguf, out / "server.log") if args.gguf else None
    base_url = server.base_url if server else args.base_url
    model = (model_names(base_url) or ["model"])[0] if base_url else None
    agents = ["victor"] + (["aider"] if args.aider else [])
    where = f"{model} via llama_cpp.server {base_url}" if base_url and not args.profile else f"profile {args.profile}"
    print(f"# agent tasks: {len(tasks)} tasks; {where}; sandbox: {args.sandbox}; out: {out}", flush=True)
    print(HEADER, flush=True)
    results: list[TaskResult] = []
    try:
        for task in tasks:
            for agent in agents:
                home = out / task.name / agent
                if agent == "victor":
                    yaml_text = bench_profiles(None if args.profile else base_url, model, args.sandbox, args.victor_home)
                    runner = VictorAgent(home / "victor-home", yaml_text, args.profile, args.timeout)
                else:
                    home.mkdir(parents=True)
                    runner = AiderAgent(args.aider, base_url, model, task.solution, args.timeout)
                result = run_task(task, runner, home / "repo", server)
                results.append(result)
                print(row(result), flush=True)
    finally:
        if server:
            server.close()
    print()
    for line in summary(results, agents):
        print(line)
    if server:
        print("\nprompt tokens evaluated per request (what the KV cache could not reuse):")
        for result in results:
            print(f"  {result.task:<20} {result.agent:<7} {result.prompt_evals}")
    (out / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")
    return 0


def run_task(task: Task, agent: VictorAgent | AiderAgent, repo: Path, server: LlamaServer | None) -> TaskResult:
    """Attempt 1, grade, and (if it failed) attempt 2 with the test output, grade again."""
    make_repo(task, repo)
    attempts: list[Attempt] = []
    prompt, passed, edited = task.prompt(), [], 0
    for number in (1, 2):
        offset = server.log_offset() if server else 0
        attempt = agent.attempt(repo, prompt, first=number == 1)
        if server:  # the server's own count of prompt tokens, the same measure for every agent
            totals, attempt.prompt_evals = server.prompt_stats(offset)
            attempt.input_tokens = sum(totals)
        (repo.parent / f"attempt{number}.log").write_text(attempt.log, encoding="utf-8")
        attempts.append(attempt)
        graded = grade(task, repo)
        (repo.parent / f"grade{number}.txt").write_text(graded.output, encoding="utf-8")
        edited += graded.tests_edited
        passed.append(graded.passed)
        if graded.passed:
            break
        prompt = task.retry_prompt(graded.output)
    return TaskResult(
        task=task.name, agent=agent.name, pass1=passed[0], pass2=passed[-1],
        wall_s=sum(a.wall_s for a in attempts), turns=sum(a.turns for a in attempts),
        input_tokens=sum(a.input_tokens for a in attempts), output_tokens=sum(a.output_tokens for a in attempts),
        tests_edited=edited, edits_ok=sum(a.edits_ok for a in attempts), edits=sum(a.edits for a in attempts),
        prompt_evals=[n for a in attempts for n in a.prompt_evals],
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    model = parser.add_mutually_exclusive_group(required=True)
    model.add_argument("--gguf", type=Path, help="start llama_cpp.server (n_ctx 8192) on this GGUF")
    model.add_argument("--base-url", help="a running OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    model.add_argument("--profile", help="run Victor alone on this profile (in-process llamacpp too)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--tasks", help="comma-separated task folders (default: the 8 development tasks)")
    which.add_argument("--all", action="store_true", help="every task folder")
    parser.add_argument("--aider", type=Path, help="an aider executable (in its own virtualenv) to compare with")
    parser.add_argument("--tasks-root", type=Path, default=TASKS_ROOT)
    parser.add_argument("--sandbox", choices=("docker", "none"), default="none",
                        help="Victor's sandbox backend for the runs (default none: no image build needed)")
    parser.add_argument("--victor-home", type=Path, default=Path.home() / ".victor",
                        help="where the profiles.yaml copied into each run's VICTOR_HOME comes from")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per attempt (default 900)")
    parser.add_argument("--out", type=Path, help="folder for logs and results.json")
    return parser


if __name__ == "__main__":
    sys.exit(main())
