"""The wheelhouse: Victor and every dependency as wheels, built with pip on the connected machine
(llama-cpp-python compiled once, or taken from pip's cache) and installed with `--no-index` offline.

The embedded models' part packages are left out: the bundle carries the joined GGUF itself under models/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from rich.progress import Progress, TaskID

from victor import __version__
from victor.airgap.progress import finish_step, step_task
from victor.errors import UsageError, VictorError

DISTRIBUTION = "victor-agent"
PIP_TAIL_LINES = 15


def install_requirements() -> list[str]:
    """What the air-gapped side installs: this Victor, exactly, plus the `local` extra minus the model parts."""
    from victor.models.catalog import EMBEDDED_MODELS

    parts = {part.requirement for model in EMBEDDED_MODELS.values() for part in model.parts}
    local_extra = [
        requirement.split(";")[0].strip()
        for requirement in metadata.requires(DISTRIBUTION) or []
        if "extra == 'local'" in requirement.replace('"', "'")
    ]
    return [f"{DISTRIBUTION}=={__version__}", *(r for r in local_extra if r not in parts)]


def find_interpreter(python: str | None) -> str:
    """`--python`: a version such as 3.11 (found as python3.11 on PATH) or an interpreter's path."""
    if python is None:
        return sys.executable
    candidate = shutil.which(f"python{python}") or shutil.which(python)
    if candidate is None:
        raise UsageError(f"--python {python}: no python{python} interpreter on PATH",
                         hint="install that Python, or pass the interpreter's path")
    return candidate


def interpreter_version(python: str) -> str:
    """`3.11`: the version the wheels are built for, which install.sh checks on the other side."""
    probe = [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
    return subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()


def victor_source() -> str:
    """Where pip builds Victor's wheel from: the local checkout it was installed from, else the index."""
    direct_url = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    url = json.loads(direct_url).get("url", "") if direct_url else ""
    if url.startswith("file://"):
        return unquote(urlparse(url).path)
    return f"{DISTRIBUTION}=={__version__}"


def build_wheelhouse(progress: Progress, wheel_dir: Path, python: str) -> None:
    """Fill `wheel_dir` with wheels for everything `install_requirements()` needs, plus pip itself."""
    requirements = ["pip", victor_source(), *install_requirements()[1:]]
    command = [python, "-m", "pip", "wheel", "--wheel-dir", str(wheel_dir), "--progress-bar", "off", *requirements]
    task = step_task(progress, "wheelhouse: resolving")
    output = _stream_pip(command, lambda line: _show_pip_step(progress, task, "wheelhouse", line))
    wheels = sorted(path.name for path in wheel_dir.glob("*.whl"))
    finish_step(progress, task, f"wheelhouse: {len(wheels)} wheels")
    if not any(name.startswith("victor_agent-") for name in wheels):
        raise VictorError("pip built no victor-agent wheel", hint="\n".join(output[-PIP_TAIL_LINES:]))


def install_wheels(wheel_dir: Path, requirements: list[str], progress: Progress) -> None:
    """Install `requirements` into this interpreter's environment from `wheel_dir` only (no index)."""
    command = [sys.executable, "-m", "pip", "install", "--isolated", "--no-index", "--find-links", str(wheel_dir),
               "--progress-bar", "off", *requirements]
    task = step_task(progress, "wheels: installing")
    _stream_pip(command, lambda line: _show_pip_step(progress, task, "wheels", line))
    finish_step(progress, task, "wheels: installed")


def _show_pip_step(progress: Progress, task: TaskID, step: str, line: str) -> None:
    """Show pip's current package next to the spinner."""
    words = line.split()
    if len(words) > 1 and words[0] in {"Collecting", "Processing", "Building", "Saved", "Installing"}:
        progress.update(task, description=f"{step}: {words[1][:40]}")


def _stream_pip(command: list[str], on_line: Callable[[str], None]) -> list[str]:
    """Run pip, feeding each output line to `on_line`; raise with pip's last lines if it fails."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip())
        on_line(line.strip())
    if process.wait() != 0:
        tail = "\n    ".join(lines[-PIP_TAIL_LINES:])
        raise VictorError(f"pip failed (exit {process.returncode}): {' '.join(command[2:5])} …",
                          hint=f"pip said:\n    {tail}")
    return lines
