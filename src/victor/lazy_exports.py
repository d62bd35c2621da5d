"""Package names imported on first use (PEP 562 `__getattr__`), so a light submodule of a package
loads without the package's heavy parts. The one implementation behind `victor.config` and
`victor.routing`."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package` for `exports` (name -> module that defines it)."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        return getattr(import_module(exports[name]), name)

    return __getattr__
