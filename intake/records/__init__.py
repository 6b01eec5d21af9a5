"""Persisted records (SQLAlchemy models): what the database holds, and nothing about how it is used.

Services (intake/services/) read and change these records; web code and the CLI reach them through
the services or read them for display. `from intake.records import Case, Intake` is the one way in.
"""

from . import audit_chain  # noqa: F401  (chains the audit log's entries as each transaction commits)
from .case_records import CaseRecordEntry
from .cases import (
    TICKET_CODE_LENGTH,
    AuditEntry,
    Case,
    CaseIntake,
    CaseStatus,
    Immutable,
    PlanDocument,
    PlanEdit,
    PlanVersion,
    Review,
    Ticket,
    TicketPurpose,
    Worksheet,
    new_ticket_code,
)
from .check_ins import CardRevoked, CheckIn, PocketCard
from .clock import as_utc, utcnow
from .intakes import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    DraftPlan,
    Intake,
    IntakeStatus,
    ResumeAttempt,
    clean_code,
    new_receipt_code,
    new_token,
)
from .limits import RateLimitCounter
from .offices import DEFAULT_OFFICE_CODE, Office, OfficeOwned
from .programs import OfficeProgram, ProgramText
from .staff import (
    ADMIN,
    CASE_ROLES,
    CASEWORKER,
    OFFICE_FIGURES_ROLES,
    ROLES,
    SUPERVISOR,
    TRANSLATOR,
    RecoveryCode,
    SignInThrottle,
    StaffSession,
    User,
)
from .step_counts import StepCount

__all__ = [
    "ADMIN",
    "CASEWORKER",
    "CASE_ROLES",
    "OFFICE_FIGURES_ROLES",
    "SUPERVISOR",
    "TRANSLATOR",
    "DEFAULT_OFFICE_CODE",
    "RECEIPT_ALPHABET",
    "RECEIPT_LENGTH",
    "ROLES",
    "TICKET_CODE_LENGTH",
    "AuditEntry",
    "Case",
    "CaseIntake",
    "CaseRecordEntry",
    "CaseStatus",
    "CardRevoked",
    "CheckIn",
    "DraftPlan",
    "Immutable",
    "Intake",
    "IntakeStatus",
    "Office",
    "OfficeOwned",
    "OfficeProgram",
    "PlanDocument",
    "PlanEdit",
    "PlanVersion",
    "PocketCard",
    "ProgramText",
    "RateLimitCounter",
    "RecoveryCode",
    "ResumeAttempt",
    "Review",
    "SignInThrottle",
    "StaffSession",
    "StepCount",
    "Ticket",
    "TicketPurpose",
    "User",
    "Worksheet",
    "as_utc",
    "clean_code",
    "new_receipt_code",
    "new_ticket_code",
    "new_token",
    "utcnow",
]
