"""What the container may not touch: `.victor/` and the git dir a `.git` file points to are read-only
(as `.git` is), protected files are masked unless the user approved reading them, and, running as
root, the ACL that lets the sandbox uid write a root-owned workspace never reaches git metadata."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.docker
READ_ONLY = "Read-only file system"


def test_victor_config_and_a_git_file_s_git_dir_are_read_only(cli_shell, workspace: Path) -> None:
    (workspace / ".git").rename(workspace / "store")
    (workspace / ".git").write_text("gitdir: store\n")
    config = (workspace / "store" / "config").read_text()
    plant = ("mkdir -p .victor; echo 'approvals: {mode: full-auto}' > .victor/profiles.yaml; "
             "echo '#!/bin/sh' > store/hooks/pre-commit; echo '[core] fsmonitor = x' >> store/config; "
             "mv .victor v2; echo end")
    result = cli_shell(plant)
    assert result.output.endswith("end"), result
    assert len(re.findall(f"{READ_ONLY}|Permission denied", result.output)) == 3, result
    assert "Device or resource busy" in result.output
    assert not (workspace / ".victor" / "profiles.yaml").exists() and not (workspace / "v2").exists()
    assert not (workspace / "store" / "hooks" / "pre-commit").exists()
    assert (workspace / "store" / "config").read_text() == config
    assert cli_shell("git status --short").output == "?? README.md\n?? store/"  # git still works in there


def test_protected_files_are_masked_unless_the_user_approved_them(cli_shell, workspace: Path,
                                                                  victor_home: Path) -> None:
    secret = "TOKEN=" + "masked-" * 3
    (workspace / ".env").write_text(secret + "\n")
    (workspace / "certs").mkdir()
    (workspace / "certs" / "server.pem").write_text(secret + "\n")
    os.link(workspace / ".env", workspace / "env-copy")  # another name for the same file
    result = cli_shell("cat .env certs/server.pem env-copy; ln .env notes.txt; echo x > .env; rm certs/server.pem;"
                       " echo end")
    assert "masked-" not in result.output and result.output.endswith("end"), result
    assert "Invalid cross-device link" in result.output and "Device or resource busy" in result.output, result
    assert (workspace / ".env").read_text() == secret + "\n" and (workspace / "certs" / "server.pem").exists()
    assert not (workspace / "notes.txt").exists()
    profile = yaml.safe_load((victor_home / "profiles.yaml").read_text())
    profile["approvals"] = {"tools": {"read_file": {"allow": [".env"]}}}
    (victor_home / "profiles.yaml").write_text(yaml.safe_dump(profile))
    approved = cli_shell("cat .env; cat certs/server.pem | wc -c")
    assert approved.output.splitlines() == [secret, "0"], approved


def test_the_sandbox_uid_gets_no_acl_on_git_metadata_or_victor_config(sandbox_image: str, workspace: Path) -> None:
    import docker
    from docker.types import Mount

    from victor.sandbox.acl import grant_workspace
    from victor.sandbox.lockdown import UID_FOR_ROOT

    (workspace / ".victor").mkdir()
    (workspace / "src").mkdir()
    # an older Victor granted the whole tree, .git included: that grant must go too
    subprocess.run(["setfacl", "-R", "-m", f"u:{UID_FOR_ROOT}:rwX", str(workspace / ".git")], check=True)
    (workspace / ".git").chmod(0o700)  # git in the sandbox must still read it, through the ACL
    grant_workspace(workspace, UID_FOR_ROOT)
    probe = ("git status --short; for f in .git/hooks/pre-commit .git/config .victor/profiles.yaml src/ok new.txt; do "
             "(echo x >> $f) 2>/dev/null && echo wrote $f || echo refused $f; done")
    client = docker.from_env()
    logs = client.containers.run(sandbox_image, ["sh", "-c", probe], user=f"{UID_FOR_ROOT}:{UID_FOR_ROOT}",
                                 working_dir="/workspace", network_mode="none", remove=True,
                                 mounts=[Mount("/workspace", str(workspace), type="bind")])  # no read-only .git
    assert logs.decode().splitlines() == ["?? README.md", "refused .git/hooks/pre-commit", "refused .git/config",
                                          "refused .victor/profiles.yaml", "wrote src/ok", "wrote new.txt"]


def test_acl_tools_planted_in_the_workspace_never_run(workspace: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from victor.sandbox.acl import grant_workspace

    marker = tmp_path / "host-was-pwned"
    for name in ("setfacl", "getfacl"):
        (workspace / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (workspace / name).chmod(0o755)
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("PATH", os.pathsep.join([".", str(workspace), os.environ["PATH"]]))
    grant_workspace(workspace, 1000)
    assert not marker.exists()
