"""CI cannot hide failures: under CI=true a skipped Docker or model test, or a skip whose reason names
a missing component, fails (tests/conftest.py); any other skip stays a skip, and without CI nothing
changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = '''
import pytest

@pytest.mark.docker
def test_docker_marked():
    pytest.skip("no engine")

@pytest.mark.skipif(True, reason="needs tmux")
def test_tool_missing():
    pass

def test_other_reason():
    pytest.skip("only on tuesdays")
'''


def run_pytest(project: Path, ci: str | None) -> str:
    env = {name: value for name, value in os.environ.items() if name not in ("CI", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                           "--continue-on-collection-errors", str(project)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)
    return done.stdout


def test_under_ci_a_skip_that_hides_a_missing_component_fails(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    docker: needs Docker\n")
    (tmp_path / "test_skips.py").write_text(TESTS)
    (tmp_path / "test_module_skip.py").write_text("import pytest\npytest.importorskip('no_such_component')\n")

    under_ci = run_pytest(tmp_path, "true")
    assert "FAILED test_skips.py::test_docker_marked" in under_ci, under_ci
    assert "ERROR test_skips.py::test_tool_missing" in under_ci  # skipped at setup: reported as an error
    assert "ERROR test_module_skip.py" in under_ci
    assert "1 failed, 1 skipped, 2 errors" in under_ci and "only on tuesdays" in under_ci

    elsewhere = run_pytest(tmp_path, None)
    assert "4 skipped" in elsewhere and "FAILED" not in elsewhere and "ERROR" not in elsewhere, elsewhere
