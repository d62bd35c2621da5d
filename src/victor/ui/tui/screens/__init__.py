"""Full-window screens of the TUI."""
