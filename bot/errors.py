"""The one error type whose text is safe to show users.

`message` is an English gettext msgid with `{name}` placeholders; the Telegram shell translates
it for the user and fills in `params` (HTML-escaped) at the boundary.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal or bad input, explained to the user in their language."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

