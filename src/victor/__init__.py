"""Victor: an offline-first terminal coding agent. This module owns only the version."""

__version__ = "0.1.0"
