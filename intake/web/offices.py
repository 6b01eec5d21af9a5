"""The office the current request belongs to.

A stub for the catalogue work: every request is the installation's own office. The `offices` branch
replaces this module with the real answer (a signed-in user's office, a kiosk's enrolment).
"""

from __future__ import annotations

from ..records import Office
from ..services.offices import default_office


def current_office() -> Office:
    """The office of the signed-in staff member or of the kiosk making this request."""
    return default_office()
