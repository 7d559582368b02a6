"""A staff member resolved to the organisation subtree they may see; free of web code."""

from __future__ import annotations

from siaga.auth.models import User


class Staff:
    """A staff member with the organisation path they may see."""

    def __init__(self, user: User, scope: str) -> None:
        self.user = user
        self.scope = scope

    def sees(self, org_path: str | None) -> bool:
        return org_path is not None and org_path.startswith(self.scope)
