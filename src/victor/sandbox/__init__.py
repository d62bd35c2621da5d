"""Where the agent's commands run: the contract (`base.py`) and the locked-down Docker backend."""
