"""Everything that touches the terminal: Rich output helpers, the line-mode console and the TUI."""
