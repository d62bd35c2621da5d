"""Widgets of the TUI; each renders one thing and posts Messages upward."""
