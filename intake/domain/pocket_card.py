"""The pocket card's code and the check-in's answers, as pure data: no Flask, no database.

A card carries a short code (typed at the kiosk) and, in its QR code, a signed token: the office's
number, the short code and an HMAC of both. Neither says anything about the person. The signature lets the
kiosk refuse a made-up or mistyped token before it looks anything up, and tell a card of another office
from an unknown one; whether a card still works (its plan version is current, it was not revoked) is the
database's to say.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from .codes import clean_code

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # as receipt codes: no 0/O, 1/I/L
CODE_LENGTH = 10
TOKEN_PREFIX = "YC1"
_MAC_LENGTH = 16  # hex characters of the HMAC-SHA256 kept in the token (64 bits)
# QR alphanumeric mode (digits, capitals, hyphen): a small code, and what a USB scanner types is plain ASCII.
_TOKEN = re.compile(rf"{TOKEN_PREFIX}-(\d{{1,9}})-([{CODE_ALPHABET}]{{{CODE_LENGTH}}})-([0-9A-F]{{{_MAC_LENGTH}}})")

# How an action went since the plan was made, as the check-in asks it (dialogues/check_in.yaml's option ids).
STATUSES = ("done", "partly", "not_yet", "help")
NEEDS_HELP = "help"
# The caseworker's review evaluation a check-in's answer starts from ("I need help" decides none).
STATUS_TO_EVALUATION = {"done": "achieved", "partly": "partly", "not_yet": "not_yet"}
MAX_ACTIONS = 5


def new_card_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """ABCDE-23456: the short code as printed under the QR code."""
    return f"{code[:5]}-{code[5:]}"


def _mac(key: bytes, office_id: int, code: str) -> str:
    message = f"pocket-card:{office_id}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:_MAC_LENGTH].upper()


def card_token(key: bytes, office_id: int, code: str) -> str:
    """The QR code's text: YC1-<office>-<code>-<signature>."""
    return f"{TOKEN_PREFIX}-{office_id}-{code}-{_mac(key, office_id, code)}"


@dataclass(frozen=True)
class CardKey:
    """What the kiosk read from a card: the short code, and the office a signed token names (typed: unknown)."""

    code: str
    office_id: int | None = None


def read_card(key: bytes, raw: object) -> CardKey | None:
    """A scanned token (its signature checked) or a typed short code; None for anything else.

    Spaces, hyphens and lower case in a typed code do not matter; a token whose signature fails is None.
    """
    if not isinstance(raw, str) or len(raw) > 100:
        return None
    text = raw.strip().upper()
    found = _TOKEN.fullmatch(text)
    if found:
        office_id, code, mac = int(found[1]), found[2], found[3]
        return CardKey(code, office_id) if hmac.compare_digest(mac, _mac(key, office_id, code)) else None
    if text.startswith(TOKEN_PREFIX):
        return None
    code = clean_code(text)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return CardKey(code)


# --- the check-in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInAnswers:
    """What a recipient said at a check-in: a status per action of the plan, a note, whether to talk."""

    statuses: tuple[str | None, ...]
    note: str | None = None
    wants_talk: bool = False

    @property
    def needs_help(self) -> bool:
        return NEEDS_HELP in self.statuses

    def to_json(self) -> dict:
        return {"statuses": list(self.statuses), "note": self.note, "wants_talk": self.wants_talk}

    @classmethod
    def from_json(cls, data: Mapping | None) -> CheckInAnswers:
        data = data or {}
        return cls(tuple(data.get("statuses") or ()), data.get("note"), bool(data.get("wants_talk")))


def check_in_given(goal_text: str, action_texts: list[str]) -> dict:
    """The check-in dialogue's given steps: the plan's goal and up to five actions, in the recipient's words."""
    given = {"goal_text": goal_text}
    for index, text in enumerate(action_texts[:MAX_ACTIONS], start=1):
        given[f"action_{index}_text"] = text
    return given


def check_in_answers(answers: Mapping[str, object], *, note_step: str, talk_step: str) -> CheckInAnswers:
    """The check-in's answers from a finished conversation's live answers."""
    statuses = []
    for index in range(1, MAX_ACTIONS + 1):
        if answers.get(f"action_{index}_text") is None:
            break
        status = answers.get(f"action_{index}_status")
        statuses.append(status if status in STATUSES else None)
    note = answers.get(note_step)
    return CheckInAnswers(
        tuple(statuses), note if isinstance(note, str) and note else None, answers.get(talk_step) == "yes"
    )


def check_in_prefill(
    entries: list[tuple[date, CheckInAnswers]], describe: Callable[[date, str], str]
) -> dict[str, str]:
    """The caseworker's review form started from the check-ins since the last review, the newest deciding.

    `describe(day, status)` is one check-in's line in an action's progress (the web layer writes it in Japanese).
    Each action's evaluation is the newest check-in's (none for "I need help"); its progress lists every
    check-in's answer, oldest first.
    """
    values: dict[str, str] = {}
    progress: dict[int, list[str]] = {}
    for day, answers in sorted(entries, key=lambda entry: entry[0]):
        for index, status in enumerate(answers.statuses):
            if status is None:
                continue
            progress.setdefault(index, []).append(describe(day, status))
            evaluation = STATUS_TO_EVALUATION.get(status)
            if evaluation:
                values[f"action-{index}-evaluation"] = evaluation
            else:
                values.pop(f"action-{index}-evaluation", None)
    for index, lines in progress.items():
        values[f"action-{index}-progress"] = " / ".join(lines)
    return values


# --- what fits on the card ------------------------------------------------------------------------------

# The card's text sizes, largest first (pocket_card.css: 8, 7, 6.3 and 5.6 pt), and the most text each holds above
# the card's foot, in half-width characters (a Chinese or Japanese character counts two). Measured in Chromium on
# A6 with a goal and three actions from a third of the kiosk's longest (200 characters each) to the longest, in
# Portuguese, Nepali, Chinese and Easy Japanese, the official Japanese beside them: the standard size held 760 and
# failed from 1,020; the small held 1,302 and failed from 1,392; the smaller held 1,530 and failed at 1,746, which
# the smallest held. Each limit is below what its size held. Longer still, the text is cut at the foot (the plan
# copy has all of it); the foot itself (review date, QR code, contact) is never cut.
TEXT_SIZES = (("standard", 750), ("small", 1250), ("smaller", 1500), ("smallest", None))


def text_size(texts: list[str]) -> str:
    """The largest of TEXT_SIZES at which the card's goal and actions (both languages) fit above the QR code."""
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for text in texts for ch in text)
    return next(name for name, most in TEXT_SIZES if most is None or width <= most)
