"""The coding agent: the bounded tool loop, the conversation, the toolbox, approvals, transcripts and undo."""
