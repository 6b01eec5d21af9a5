"""The refusal every casework operation raises: a request the office's rules refuse, with a message for the page.

The caseworker pages translate HTTP into the casework services (case_access, cases, tickets, plans, reviews,
audit_log), as the kiosk does with `conversations`; those raise CaseworkError, the domain's AnswerInvalid, or
StaleWrite for a stale form.
"""

from __future__ import annotations


class CaseworkError(Exception):
    """A request the office's rules refuse; `message` is English source text for gettext."""

    def __init__(self, message: str | tuple[str, str], **params):
        # A message with a count is (singular, plural) from Nn_, its form chosen by params["count"].
        self.message, self.plural = message if isinstance(message, tuple) else (message, "")
        self.params = params
        super().__init__(self.message % params if params else self.message)
