"""The approval modes, the one place they are spelled: from the mode that asks most to the one that
asks least (the tighten-only rule reads this order; `--approval` lists and checks them). Imports
nothing, so the command line's help stays light."""

from __future__ import annotations

from typing import Literal, get_args

ApprovalMode = Literal["ask", "auto-edit", "full-auto"]
APPROVAL_MODES: tuple[ApprovalMode, ...] = get_args(ApprovalMode)
