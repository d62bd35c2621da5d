"""Data classes: which class (public < internal < confidential < restricted) each file in a request
belongs to, by the profile file's globs, and which providers may see it.

A request is as sensitive as the most sensitive file in it; a request with no file, or a file no
glob matches, has the configured default class. A session's class only rises: it is kept with the
session record (`saved` / `restored`) and passed back as the floor of every later request. Globs follow .gitignore habits: a pattern without
a slash (`*.pem`) matches the file name at any depth, `**/` matches zero or more directories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from victor.config.schema import DataClass, DataClassesConfig, provider_allowed

LEVELS: tuple[DataClass, ...] = ("public", "internal", "confidential", "restricted")


@dataclass(frozen=True)
class Classification:
    level: DataClass
    path: str | None  # the file that set the level, None when it is the default
    pattern: str | None
    providers: list[str] | None  # None: any provider may see it; `local`: any profile on this machine

    def allows(self, provider: str, *, local: bool) -> bool:
        """May a profile of `provider` (`local`: one that stays on this machine) see this data?"""
        return provider_allowed(self.providers, provider, local=local)

    def describe(self) -> str:
        source = f"{self.path} matches '{self.pattern}'" if self.pattern else "default class"
        names = [name if name != "local" else "local profiles" for name in self.providers or []]
        who = "any provider" if self.providers is None else ", ".join(names) or "no provider"
        return f"{self.level} ({source}); may go to {who}"


def glob_match(path: str, pattern: str) -> bool:
    """Does the repository-relative posix `path` match `pattern`?"""
    path = path[2:] if path.startswith("./") else path
    pattern = pattern.strip("/") if "/" in pattern.strip("/") else pattern.rstrip("/")
    if "/" not in pattern:
        return _glob_regex(pattern).fullmatch(PurePosixPath(path).name) is not None
    return _glob_regex(pattern).fullmatch(path) is not None


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*/|/\*\*$|\*\*|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "/**": "/.*", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts))


def class_of(path: str, config: DataClassesConfig) -> tuple[DataClass, str | None]:
    """The most sensitive class whose globs match `path`, and the glob; else the default."""
    for level in reversed(LEVELS):
        for pattern in getattr(config, level).paths:
            if glob_match(path, pattern):
                return level, pattern
    return config.default, None


def classify_request(paths: list[str], config: DataClassesConfig, at_least: Classification | None = None) -> Classification:
    """The class of a request holding these files: its most sensitive file, or the default; never
    below `at_least` (the class its session reached earlier)."""
    level, source, matched = config.default, None, None
    if paths:
        ranked = [(*class_of(path, config), path) for path in paths]
        level, matched, source = max(ranked, key=lambda item: LEVELS.index(item[0]))
    if at_least is not None and LEVELS.index(at_least.level) > LEVELS.index(level):
        level, source, matched = at_least.level, at_least.path, at_least.pattern
    return _classification(level, source, matched, config)


def saved(classification: Classification) -> dict[str, str | None]:
    """What a session record keeps of its class (the providers are re-read from the configuration)."""
    return {"level": classification.level, "path": classification.path, "pattern": classification.pattern}


def restored(record: dict[str, str | None], config: DataClassesConfig) -> Classification:
    """A class kept by `saved()`, with the providers the configuration now allows for its level."""
    # a damaged record must not loosen the session
    level = next((known for known in LEVELS if known == record.get("level")), LEVELS[-1])
    return _classification(level, record.get("path"), record.get("pattern"), config)


def _classification(level: DataClass, path: str | None, pattern: str | None,
                    config: DataClassesConfig) -> Classification:
    rule = getattr(config, level).providers
    return Classification(level, path, pattern, None if rule is None else list(rule))
