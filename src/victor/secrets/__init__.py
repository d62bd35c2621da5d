"""Secret scanning: the scanner (rules, prefilter, entropy, allowlists), redaction for prompts and
logs, detect-secrets baseline compatibility, and the sources `victor scan-secrets` reads (files,
the git index, history, stdin).

`from victor.secrets import scan_text, redact, Redactor` is cheap: rules compile on first use."""

from victor.secrets.finding import Finding
from victor.secrets.redaction import Redactor, redact
from victor.secrets.scanner import scan_text

__all__ = ["Finding", "Redactor", "redact", "scan_text"]
