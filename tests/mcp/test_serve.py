"""`victor mcp serve` driven by the SDK's own stdio client, as another agent would drive it: the real
`victor` process serves scan_secrets, run_in_sandbox (the locked-down container; docker) and route."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.routing.conftest import fake_github_pat
from victor import paths


def call(project: Path, *requests: tuple[str, dict[str, Any]]) -> tuple[list[str], list[Any]]:
    """Start `victor mcp serve` in `project`, list its tools, make each call; (tool names, results)."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "victor", "mcp", "serve"], cwd=str(project),
                                   env=dict(os.environ))

    async def session() -> tuple[list[str], list[Any]]:
        with anyio.fail_after(180):
            return await calls()

    async def calls() -> tuple[list[str], list[Any]]:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            names = [tool.name for tool in (await client.list_tools()).tools]
            results = [await client.call_tool(name, args) for name, args in requests]
            return names, results

    return anyio.run(session)


def body(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


def test_scan_secrets_finds_a_planted_token_without_repeating_it(project: Path) -> None:
    token = fake_github_pat(21)
    (project / "deploy.txt").write_text(f"registry login\ntoken = {token}\n")
    names, (in_text, in_file, outside) = call(
        project, ("scan_secrets", {"text": f"export GITHUB_TOKEN={token}"}), ("scan_secrets", {"path": "deploy.txt"}),
        ("scan_secrets", {"path": "../../etc/passwd"}))
    assert set(names) == {"scan_secrets", "run_in_sandbox", "route"}
    assert body(in_text)["findings"] == [{"rule": "github-pat", "line": 1, "preview": token[:4] + "…"}]
    assert body(in_file) == {"path": "deploy.txt",
                             "findings": [{"rule": "github-pat", "line": 2, "preview": "ghp_…"}]}
    assert outside.is_error and "outside" in outside.content[0].text
    for result in (in_text, in_file):
        assert token not in result.model_dump_json()
    scans = [record for record in map(json.loads, paths.audit_log_file().read_text().splitlines())
             if record["action"] == "mcp_serve"]
    assert [(scan["tool"], scan["findings"]) for scan in scans] == [("scan_secrets", 1), ("scan_secrets", 1)]


def test_route_explains_where_a_prompt_would_go(project: Path) -> None:
    _, (routed,) = call(project, ("route", {"prompt": "refactor the parser", "task": "refactoring"}))
    decision = body(routed)
    assert decision["location"] == "local" and decision["task"] == "refactoring"


@pytest.mark.docker
def test_run_in_sandbox_runs_the_command_in_the_locked_down_container(project: Path, victor_home: Path,
                                                                       sandbox_image: str) -> None:
    (victor_home / "profiles.yaml").write_text("approvals:\n  tools:\n    run_shell: {deny: [\"rm -rf\"]}\n")
    _, (ran, refused) = call(project, ("run_in_sandbox", {"command": "hostname; id -u; echo made > made.txt; "
                                                                     "cat /proc/1/status | grep -c NoNewPrivs"}),
                             ("run_in_sandbox", {"command": "rm -rf /workspace"}))
    result = body(ran)
    assert result["exit_code"] == 0, result
    assert result["output"].splitlines()[:2] == ["sandbox", str(os.getuid() or 1000)]
    assert "no network" in result["sandbox"]
    assert (project / "made.txt").read_text() == "made\n"  # the workspace is mounted
    assert refused.is_error and "a deny rule for run_shell matches 'rm -rf /workspace'" in refused.content[0].text
    assert (project / "README.md").exists()
    records = [json.loads(line) for line in paths.audit_log_file().read_text().splitlines()]
    execs = [record for record in records if record["action"] == "sandbox_exec"]
    assert len(execs) == 1 and execs[0]["command"].startswith("hostname;") and execs[0]["success"]
