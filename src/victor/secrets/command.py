"""`victor scan-secrets`: parse its arguments (argparse, so a git hook need not import Typer),
gather the targets, scan them, drop what the baseline, pragmas and profile excludes allow, print
the report, and return the exit code: 0 clean, 1 findings, 3 baseline rewritten (2 via UsageError)."""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import os
import sys
from pathlib import Path
from typing import NoReturn

from victor.errors import UsageError
from victor.secrets import sources
from victor.secrets.baseline import Baseline
from victor.secrets.finding import Finding
from victor.secrets.scanner import scan_text

DEFAULT_BASELINE = ".secrets.baseline"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print and exit; cli.py owns messages
        raise UsageError(f"scan-secrets: {message}", hint="see `victor scan-secrets --help`")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="victor scan-secrets", description=(
        "Scan files, the git index, history or stdin for secrets. Exit 0 clean, 1 secrets found, "
        "2 usage or configuration error, 3 baseline updated."))
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .); - reads stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--staged", action="store_true", help="scan what the next commit adds (the git index)")
    mode.add_argument("--all-files", action="store_true", help="scan every file git does not ignore")
    mode.add_argument("--since", metavar="REV", help="scan the lines added by the commits in REV..HEAD")
    parser.add_argument("--baseline", metavar="FILE", help=f"detect-secrets baseline (default: {DEFAULT_BASELINE} if present)")
    parser.add_argument("--update-baseline", action="store_true", help="accept current findings into the baseline (exit 3 if it changed)")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="report format")
    return parser


def main(argv: list[str]) -> int:
    options = build_parser().parse_args(argv)
    if options.paths and (options.staged or options.since or options.all_files):
        raise UsageError("scan-secrets: give PATHs or one of --staged/--all-files/--since, not both")
    if options.since and options.update_baseline:
        raise UsageError("scan-secrets: a baseline records current files; --update-baseline does not go with --since")
    root = _git_root()
    base = root or Path.cwd()
    excludes, configured_baseline = _profile_settings(root)
    baseline = Baseline.load(_baseline_path(options.baseline or configured_baseline, base))
    targets = _targets(options, root, base)
    skip = {_relative(baseline.path, base)}
    scanned: dict[str, str] = {}
    findings: list[tuple[Finding, str | None]] = []
    for target in targets:
        if target.path in skip or _excluded(target.path, excludes):
            continue
        scanned[target.path] = target.text
        findings.extend((finding, target.commit) for finding in _scan(target))
    if options.update_baseline:
        changed = baseline.write_if_changed(baseline.updated([f for f, _ in findings], scanned))
        print(f"victor: {'updated' if changed else 'unchanged'}: {baseline.path}", file=sys.stderr)
        return 3 if changed else 0
    reported = [(f, c) for f, c in findings if not baseline.allows(f)]
    _print_report(reported, options.format, len(scanned))
    return 1 if reported else 0


def _targets(options: argparse.Namespace, root: Path | None, base: Path) -> list[sources.ScanTarget]:
    if options.staged or options.since:
        if root is None:
            raise UsageError("scan-secrets: --staged and --since need a git repository",
                             hint="run it inside the repository")
        return sources.staged_targets(root) if options.staged else sources.history_targets(root, options.since)
    if options.all_files:
        return sources.path_targets([str(root or base)], root, base)
    return sources.path_targets(options.paths or ["."], root, base)


def _scan(target: sources.ScanTarget) -> list[Finding]:
    found = []
    for finding in scan_text(target.text, path=target.path):
        lines = range(finding.line, finding.line + target.text.count("\n", finding.start, finding.end) + 1)
        if target.report_lines is not None and target.report_lines.isdisjoint(lines):
            continue  # a value split over lines counts when the commit adds any of them
        if target.line_numbers is not None:
            finding = dataclasses.replace(finding, line=target.line_numbers[finding.line - 1])
        found.append(finding)
    return found


def _print_report(findings: list[tuple[Finding, str | None]], output: str, files: int) -> None:
    from victor.secrets.report import FORMATS

    sys.stdout.write(FORMATS[output](findings))
    if output == "text":
        summary = f"{len(findings)} secret(s) found in {files} file(s) scanned" if findings else f"no secrets in {files} file(s)"
        hint = ("; remove them, mark a false positive with `# pragma: allowlist secret`,"
                " or accept it with --update-baseline") if findings else ""
        print(f"victor: {summary}{hint}", file=sys.stderr)


def _git_root() -> Path | None:
    from victor.secrets.gitio import repo_root

    return repo_root()


def _baseline_path(name: str | None, base: Path) -> Path:
    return Path(name) if name else base / DEFAULT_BASELINE


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def _excluded(path: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(path, p) or path.startswith(p.rstrip("/") + "/") for p in patterns)


def _profile_settings(root: Path | None) -> tuple[list[str], str | None]:
    """The profile's `secrets.exclude_paths` and `secrets.baseline`. Loading profiles costs pydantic's
    import (~0.1-0.3 s), too much for a commit hook, so it happens only when a profile file mentions
    a `secrets` section at all; otherwise the schema defaults (no excludes, no baseline) hold."""
    from victor import paths

    files = [paths.org_config_file(), paths.user_config_file(), paths.project_config_file(root)]
    if not any(_mentions_secrets(file) for file in files):
        return [], None
    from victor.config import load_config

    secrets = load_config(root).config.secrets
    return list(secrets.exclude_paths), secrets.baseline


def _mentions_secrets(file: Path) -> bool:
    try:
        return "secrets" in file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
