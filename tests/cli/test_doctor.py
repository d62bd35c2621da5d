"""`victor doctor`: a real HTTP server on loopback plays Ollama; exit 1 only when the default
profile (with its fallbacks) cannot run."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer


def profiles_for(url: str, *, fallback: str = "[]") -> str:
    return (
        "default_profile: local\n"
        "profiles:\n"
        f"  local: {{provider: ollama, model: 'qwen2.5-coder:7b', base_url: '{url}', fallback: {fallback}}}\n"
    )


def test_reachable_ollama_with_the_model_is_green(victor, victor_home, tmp_path, httpserver: HTTPServer):
    httpserver.expect_request("/api/tags").respond_with_json({"models": [{"name": "qwen2.5-coder:7b"}]})
    (victor_home / "profiles.yaml").write_text(profiles_for(httpserver.url_for("/").rstrip("/")))
    result = victor("doctor", "--json", cwd=tmp_path)
    report = json.loads(result.stdout)
    checks = {check["name"]: check for check in report["checks"]}
    assert checks["profile local"]["ok"] is True
    assert report["ok"] is True and result.returncode == 0


def test_missing_model_names_the_pull_command(victor, victor_home, tmp_path, httpserver: HTTPServer):
    httpserver.expect_request("/api/tags").respond_with_json({"models": [{"name": "llama3:8b"}]})
    (victor_home / "profiles.yaml").write_text(profiles_for(httpserver.url_for("/").rstrip("/")))
    result = victor("doctor", "--json", cwd=tmp_path)
    assert result.returncode == 1
    check = next(check for check in json.loads(result.stdout)["checks"] if check["name"] == "profile local")
    assert check["ok"] is False and check["hint"] == "run `ollama pull qwen2.5-coder:7b`"


def test_unreachable_default_falls_back_or_fails(victor, victor_home, tmp_path):
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens
    (victor_home / "profiles.yaml").write_text(profiles_for(dead))
    alone = victor("doctor", "--json", cwd=tmp_path)
    assert alone.returncode == 1
    assert "not reachable at http://127.0.0.1:9" in alone.stdout
    (victor_home / "profiles.yaml").write_text(profiles_for(dead, fallback="[embedded]"))
    with_fallback = victor("doctor", "--json", cwd=tmp_path)
    report = json.loads(with_fallback.stdout)
    default = next(check for check in report["checks"] if check["name"] == "default profile")
    assert default["detail"] == "'local' → uses 'embedded'"
    assert with_fallback.returncode == 0
