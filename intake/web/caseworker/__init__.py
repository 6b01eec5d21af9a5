"""The caseworker's workspace, one module per task; `access` holds what they all share.

sign_in: signing in and out, the second factor, one's own password · cases: the queue, a case, tickets, walk-in drafts ·
plan: the worksheet, approval, versions · review: the periodic review (見直し) · counts: where people stop (anonymous
step counts) · printing: the plan sheet and its export · bulk: many slips or plans in
one print · cards: the pocket card · office: the report and the audit log · accounts: the admin's staff accounts ·
programs: the admin's program catalogue · case_record: the case record (ケース記録) drafts, confirmation and CSV ·
due_dates: dates that come due and the review reminder letter.
"""

from . import (  # noqa: F401  (sign_in: routes on cases.bp)
    accounts,
    bulk,
    cards,
    case_record,
    cases,
    counts,
    due_dates,
    office,
    plan,
    printing,
    programs,
    review,
    sign_in,
)

BLUEPRINTS = (
    cases.bp, plan.bp, review.bp, printing.bp, bulk.bp, office.bp, counts.bp, accounts.bp, programs.bp, cards.bp,
    case_record.bp, due_dates.bp,
)
