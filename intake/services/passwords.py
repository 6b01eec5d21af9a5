"""Which passwords staff may choose, as NIST SP 800-63B asks: long enough, not common or guessable, not their own names.

Checked offline with zxcvbn (its frequency lists of common and leaked passwords, words and names, and its
patterns: repeats, sequences, keyboard walks, dates). The same check runs at sign-in on the password just
typed, so an account whose password the rules would now refuse is asked to change it (services/sign_in.py).
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from ..domain.answers import N_, Nn_

MIN_PASSWORD_LENGTH = 12
# zxcvbn's score 3 is "safely unguessable: moderate protection from offline slow-hash scenario" (10^8 guesses).
MIN_SCORE = 3
# Beyond this zxcvbn gets slow (it tries every split) and nothing is learnt: the rest is counted as length only.
CHECKED_LENGTH = 100


def password_problem(password: str | None, username: str = "", office_name: str = "") -> tuple[str, dict] | None:
    """Why the rules refuse this password (a message id and its parameters), or None when they accept it."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            Nn_("A password needs at least %(count)s character.", "A password needs at least %(count)s characters."),
            {"count": MIN_PASSWORD_LENGTH},
        )
    folded = password.casefold()
    if username and username.strip().casefold() in folded:
        return N_("A password may not contain the username."), {}
    if office_name and office_name.strip().casefold() in folded:
        return N_("A password may not contain the office's name."), {}
    verdict = zxcvbn(password[:CHECKED_LENGTH], user_inputs=[part for part in (username, office_name) if part])
    if verdict["score"] >= MIN_SCORE:
        return None
    if any(match.get("dictionary_name") == "passwords" for match in verdict["sequence"]):
        return N_("This password is common, or close to one that has leaked. Choose another."), {}
    return (
        N_(
            "This password is easy to guess (repeated or consecutive characters, keyboard rows, words or dates)."
            " Choose another, for example a few unrelated words."
        ),
        {},
    )
