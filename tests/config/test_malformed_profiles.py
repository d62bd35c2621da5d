"""Every malformed profile file exits 2 with one line naming the file and the line or key path,
and no traceback — through the real CLI, as a user would meet it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.support.guide import GUIDE_HYBRID

SEED = GUIDE_HYBRID.replace("telemetry:", "offline_mode: true\ntelemetry:")

USER_FILE_CASES = {
    "tab": ("profiles:\n\tdefault: {provider: ollama, model: m}\n", ":2:", "tab"),
    "bad indent": ("profiles:\n  default:\n    provider: ollama\n   model: m\n", ":4:", ""),
    "duplicate key": ("profiles:\n  a: {provider: ollama, model: m}\n  a: {provider: ollama, model: n}\n", ":3", "duplicate key 'profiles.a'"),
    "unknown provider": ("profiles:\n  a:\n    provider: olama\n    model: m\n", ":3", "did you mean 'ollama'"),
    "unknown key": ("profiles:\n  a:\n    provider: ollama\n    modle: m\n", ":4", "did you mean 'model'"),
    "unknown top-level key": ("profile:\n  a: {provider: ollama, model: m}\n", ":1", "did you mean 'profiles'"),
    "wrong type": ("sandbox:\n  pids_limit: lots\n", ":2", "sandbox.pids_limit"),
    "wrong type in list": ("routing:\n  local_tasks: [code_review, cooking]\n", ":2", "routing.local_tasks.1"),
    "not a mapping": ("- just\n- a list\n", ":1", "mapping"),
    "missing var in a setting": ("audit:\n  path: ${VICTOR_TEST_UNSET_PATH}\n", ":2", "VICTOR_TEST_UNSET_PATH"),
}


def _assert_one_clean_line(result, file: Path, where: str, words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith("victor: error: ")
    assert str(file) + where in first, first
    assert words.lower() in first.lower(), first


@pytest.mark.parametrize("case", USER_FILE_CASES)
def test_malformed_user_file_exits_2_naming_file_and_line(case, victor, victor_home, tmp_path):
    text, where, words = USER_FILE_CASES[case]
    (victor_home / "profiles.yaml").write_text(text)
    result = victor("profiles", "list", cwd=tmp_path)
    _assert_one_clean_line(result, victor_home / "profiles.yaml", where, words)


def test_validate_names_an_explicit_file(victor, tmp_path):
    bad = tmp_path / "team.yaml"
    bad.write_text("profiles:\n  a:\n    provider: openai\n    model: gpt-4o\n    temprature: 0.2\n")
    result = victor("profiles", "validate", str(bad), cwd=tmp_path)
    _assert_one_clean_line(result, bad, ":5", "did you mean 'temperature'")


def test_missing_env_var_names_variable_and_profile(victor, victor_home, tmp_path):
    (victor_home / "profiles.yaml").write_text(SEED)
    result = victor("profiles", "show", "production", cwd=tmp_path, env={"ANTHROPIC_API_KEY": ""})
    _assert_one_clean_line(result, victor_home / "profiles.yaml", ":3", "ANTHROPIC_API_KEY")
    assert "'production'" in result.stderr.splitlines()[0]
    assert victor("profiles", "validate", "--strict", cwd=tmp_path, env={"ANTHROPIC_API_KEY": ""}).returncode == 2


def test_project_file_turning_sandbox_off_is_refused(victor, git_repo):
    project = git_repo / ".victor" / "profiles.yaml"
    project.parent.mkdir()
    project.write_text("approvals:\n  mode: ask\nsandbox:\n  backend: none\n")
    result = victor("profiles", "list", cwd=git_repo)
    _assert_one_clean_line(result, project, ":4", "sandbox.backend")
    assert "may tighten security but not loosen it" in result.stderr
    assert "hint:" in result.stderr


def test_debug_shows_the_traceback(victor, victor_home, tmp_path):
    (victor_home / "profiles.yaml").write_text("profiles: [\n")
    assert "Traceback" not in victor("profiles", "list", cwd=tmp_path).stderr
    assert "Traceback" in victor("--debug", "profiles", "list", cwd=tmp_path).stderr
    assert "Traceback" in victor("profiles", "list", cwd=tmp_path, env={"VICTOR_DEBUG": "1"}).stderr


def test_seed_format_loads_as_written(victor, victor_home, tmp_path):
    (victor_home / "profiles.yaml").write_text(SEED)
    result = victor("profiles", "list", "--json", cwd=tmp_path, env={"ANTHROPIC_API_KEY": ""})
    assert result.returncode == 0, result.stderr
    assert '"offline_mode": true' in result.stdout
    shown = victor("profiles", "show", "production", cwd=tmp_path, env={"ANTHROPIC_API_KEY": "sk-ant-test-value"})
    assert shown.returncode == 0, shown.stderr
    assert "sk-ant-test-value" not in shown.stdout
    assert "claude-sonnet-4-5" in shown.stdout


def test_example_profiles_each_load(victor, tmp_path):
    root = Path(__file__).resolve().parents[2] / "profiles"
    examples = sorted(root.glob("*.yaml"))
    assert {p.name for p in examples} >= {"airgapped.yaml", "hybrid.yaml", "cloud.yaml"}
    env = {"ANTHROPIC_API_KEY": "x", "OPENAI_API_KEY": "y"}
    for example in examples:
        result = victor("profiles", "validate", str(example), cwd=tmp_path, env=env)
        assert result.returncode == 0, (example, result.stderr)


def test_init_writes_once_and_needs_force(victor, victor_home, tmp_path):
    first = victor("init", "--hybrid", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = (victor_home / "profiles.yaml").read_text()
    assert "cloud_profile: production" in written and written.lstrip().startswith("#")
    (victor_home / "profiles.yaml").write_text(written + "# my edit\n")
    again = victor("init", "--cloud", cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    assert (victor_home / "profiles.yaml").read_text().endswith("# my edit\n")
    forced = victor("init", "--cloud", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (victor_home / "profiles.yaml.bak").read_text().endswith("# my edit\n")
    assert victor("init", "--cloud", "--hybrid", "--force", cwd=tmp_path).returncode == 2


def test_unknown_command_and_flag_exit_2(victor, tmp_path):
    assert victor("profiles", "no-such-command", cwd=tmp_path).returncode == 2  # a bare word is a chat prompt
    assert victor("profiles", "list", "--no-such-flag", cwd=tmp_path).returncode == 2


def test_unknown_profile_suggests_the_nearest(victor, tmp_path):
    result = victor("profiles", "show", "embeded", cwd=tmp_path)
    assert result.returncode == 2
    assert "did you mean 'embedded'" in result.stderr


@pytest.mark.parametrize(
    "doc",
    [
        "profiles:\n  a: {provider: ollama, model: m}\n  a: {provider: ollama, model: m}",
        textwrap.dedent("""\
            sandbox:
              memory: 2g
            sandbox:
              memory: 4g
            """),
    ],
)
def test_duplicate_keys_anywhere(doc, victor, victor_home, tmp_path):
    (victor_home / "profiles.yaml").write_text(doc)
    result = victor("profiles", "list", cwd=tmp_path)
    assert result.returncode == 2 and "duplicate key" in result.stderr
