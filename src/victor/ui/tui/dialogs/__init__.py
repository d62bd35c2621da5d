"""Modal dialogs of the TUI."""
