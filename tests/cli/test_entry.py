"""The root command as users type it (shared/cli.md): `victor [--profile P] [--offline] [--plain]
[PROMPT]` opens a chat with a first prompt, a near-miss command name is a usage error, and
`profiles validate` warns about a profile's unset variable unless --strict."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer

from tests.providers.conftest import ndjson, recording
from tests.support.guide import GUIDE_HYBRID


def ollama_profile(victor_home, url: str) -> None:
    (victor_home / "profiles.yaml").write_text(
        "default_profile: local\n"
        f"profiles:\n  local: {{provider: ollama, model: 'qwen2.5-coder:7b', base_url: '{url}'}}\n"
    )


def test_bare_victor_takes_chat_options_and_a_first_prompt(victor, victor_home, git_repo, httpserver: HTTPServer):
    httpserver.expect_request("/api/show", method="POST").respond_with_data(
        recording("ollama_show_tools.json"), content_type="application/json")
    httpserver.expect_request("/api/chat", method="POST").respond_with_response(ndjson("ollama_text.ndjson"))
    ollama_profile(victor_home, httpserver.url_for("").rstrip("/"))

    result = victor("--offline", "--profile", "local", "--plain", "Write a haiku about git", cwd=git_repo, input="")

    assert result.returncode == 0, result.stderr
    sent = next(json.loads(request.get_data()) for request, _ in httpserver.log if request.path == "/api/chat")
    assert sent["messages"][-1]["content"].endswith("Write a haiku about git")
    assert "Merge conflicts bloom" in result.stdout


def test_bare_victor_with_only_options_opens_the_chat(victor, victor_home, git_repo):
    result = victor("--profile", "no-such-profile", cwd=git_repo, input="")
    assert result.returncode == 2
    assert "no-such-profile" in result.stderr and "Traceback" not in result.stderr


def test_a_near_miss_command_name_is_a_usage_error(victor, git_repo):
    result = victor("rnu", "fix the bug", cwd=git_repo)
    assert result.returncode == 2
    assert "did you mean 'run'" in result.stderr


def test_commands_and_help_are_not_taken_for_prompts(victor, git_repo):
    assert victor("--help", cwd=git_repo).stdout.count("scan-secrets") >= 1
    assert victor("profiles", "list", "--json", cwd=git_repo).returncode == 0


def test_validate_warns_about_an_unset_key_and_strict_fails(victor, tmp_path):
    guide = tmp_path / "hybrid.yaml"
    guide.write_text(GUIDE_HYBRID)
    env = {"ANTHROPIC_API_KEY": ""}

    lenient = victor("profiles", "validate", str(guide), cwd=tmp_path, env=env)
    assert lenient.returncode == 0, lenient.stderr
    assert "warning" in lenient.stderr and "ANTHROPIC_API_KEY" in lenient.stderr and "production" in lenient.stderr

    strict = victor("profiles", "validate", "--strict", str(guide), cwd=tmp_path, env=env)
    assert strict.returncode == 2
    assert "ANTHROPIC_API_KEY" in strict.stderr
