"""CLI command groups, one module each, registered by `victor.cli.COMMANDS`.

Each module exposes `register(app)`. Modules import heavy libraries inside command bodies only."""
