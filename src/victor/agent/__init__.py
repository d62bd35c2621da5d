"""The coding agent: the bounded tool loop, the conversation, approvals, sessions and undo."""
