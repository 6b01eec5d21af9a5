"""Pocket cards: issued for an approved plan version, revoked by a revision, a closure or a reissue, and redeemed at
a kiosk of the office to start a check-in.

Every revocation is a line in the audit log. A card works only while it is not revoked, its plan version is the
case's current one and the case is open; the kiosk says which it is in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..domain.answers import N_
from ..domain.engine import Engine
from ..domain.plan import PlanGoal
from ..domain.pocket_card import card_token, check_in_given, new_card_code, read_card
from ..extensions import db
from ..records import (
    CardRevoked,
    Case,
    CaseIntake,
    CheckIn,
    Intake,
    PlanVersion,
    PocketCard,
    User,
    utcnow,
)
from ..unit_of_work import retry_on_collision
from . import conversations
from .audit_log import audit
from .errors import CaseworkError

_ATTEMPTS = 5


def valid_card(plan: PlanVersion) -> PocketCard | None:
    """The plan version's card that still works, if one was issued."""
    return db.session.scalar(
        db.select(PocketCard).filter_by(plan_id=plan.id, revoked_at=None).order_by(PocketCard.id.desc()).limit(1)
    )


def qr_text(card: PocketCard, key: bytes) -> str:
    """What the card's QR code says: a signed token naming the office and the card's code, nothing about the person."""
    return card_token(key, card.office_id, card.code)


def revoke_cards(user: User | None, case: Case, reason: str) -> None:
    """The case's working pocket cards stop working (a new version, the case closed, a reissue); each is audited."""
    for card in db.session.scalars(db.select(PocketCard).filter_by(case_id=case.id, revoked_at=None)).all():
        card.revoked_at, card.revoked_reason = utcnow(), reason
        audit(user, case, "card_revoke", f"{reason} {card.display_code}")


def _printable(plan: PlanVersion) -> None:
    case = plan.case
    if case.closed_at:
        # i18n: staff: printing a pocket card for a closed case is refused.
        raise CaseworkError(N_("This case is closed."))
    if case.current_plan is not plan:
        # i18n: staff: a pocket card is printed for the current plan version only.
        raise CaseworkError(N_("Only the current plan version has a pocket card."))


def card_for(user: User, plan: PlanVersion) -> PocketCard:
    """The plan version's working card, issued the first time it is printed."""
    _printable(plan)
    return valid_card(plan) or _issue(user, plan)


def reissue(user: User, plan: PlanVersion) -> PocketCard:
    """A new card for the same version (the old one was lost): the old card stops working."""
    _printable(plan)
    revoke_cards(user, plan.case, CardRevoked.REISSUE)
    return _issue(user, plan)


def _issue(user: User, plan: PlanVersion) -> PocketCard:
    def new_card() -> PocketCard:
        card = PocketCard(code=new_card_code(), case_id=plan.case_id, plan_id=plan.id, issued_by=user.id)
        db.session.add(card)
        return card

    card = retry_on_collision(new_card, _ATTEMPTS)  # a code collided: draw again
    audit(user, plan.case, "card_issue", f"version {plan.number} {card.display_code}")
    return card


def start_check_in(
    raw: str,
    *,
    key: bytes,
    office_id: int,
    locale: str,
    engine: Engine,
    goal_text: Callable[[PlanGoal], str],
    today: date,
) -> Intake:
    """Start a check-in with a scanned or typed card at a kiosk of `office_id`; CaseworkError says why not.

    `goal_text(goal)` is the plan's goal in the recipient's language; the actions are their own words.
    """
    read = read_card(key, raw)
    if read is not None and read.office_id is not None and read.office_id != office_id:
        # i18n: recipient: the kiosk's answer to a pocket card printed by another welfare office.
        raise CaseworkError(N_("This card is from another welfare office. Please check in at your own office."))
    # Only this kiosk's office's cards: another office's code is as unknown here as a mistyped one.
    card = db.session.scalar(db.select(PocketCard).filter_by(code=read.code)) if read else None
    if card is None:
        # i18n: recipient: the kiosk's answer to a pocket card code nobody issued (or mistyped).
        raise CaseworkError(N_("This card is not known. Please check the code, or ask at the counter."))
    case, plan = card.case, card.plan
    if card.revoked_at is not None or case.closed_at is not None or case.current_plan is not plan:
        # i18n: recipient: the kiosk's answer to a pocket card of an earlier plan, a lost card or a closed case.
        raise CaseworkError(N_("This card no longer works. Please ask your caseworker for your new card."))
    content = plan.plan
    given = check_in_given(goal_text(content.goal), [action.text for action in content.actions])
    intake = conversations.start(engine, locale, given, today=today)
    db.session.add(CaseIntake(case_id=case.id, intake_id=intake.id, how="card"))
    db.session.add(CheckIn(case_id=case.id, plan_id=plan.id, card_id=card.id, intake_id=intake.id))
    audit(None, case, "kiosk_start", f"check-in {card.display_code}")
    return intake
