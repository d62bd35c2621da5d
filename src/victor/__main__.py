"""`python -m victor` runs the same entry point as the `victor` script."""

from victor.cli import main

main()
