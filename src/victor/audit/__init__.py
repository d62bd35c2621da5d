"""The tamper-evident audit log: an append-only, hash-chained JSONL file with verification,
export and usage reports. `open_audit_log` is the entry point for everything that records."""

from victor.audit.writer import AuditLog, open_audit_log

__all__ = ["AuditLog", "open_audit_log"]
