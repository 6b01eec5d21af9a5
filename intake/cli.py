"""`flask intake …`: check dialogues, prepare the database, load the demo office, manage catalogues.

Each command that needs the app is one transaction, committed when it returns (unit_of_work.CommandGroup).
`dialogue check` needs no app: it reads the office's settings and loads the dialogues alone, so a
broken dialogue (which stops the app from starting) is reported as `file:line` problems.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Config, Flask, current_app

from .config import ROOT, read_settings
from .domain.office import load_engines
from .domain.yamlfile import DataFileError
from .i18n import catalogues, readability, readings
from .records import ROLES
from .unit_of_work import CommandGroup, commit, office_of_account

intake_cli = CommandGroup("intake", help="Yorisoi administration.")
dialogue_cli = CommandGroup("dialogue", help="Dialogue files.")
i18n_cli = CommandGroup("i18n", help="Translation catalogues (gettext).")
users_cli = CommandGroup("users", help="Staff accounts (caseworker, supervisor, translator, admin).")
case_cli = CommandGroup("case", help="A whole case: disclosure and deletion requests.")
office_cli = CommandGroup("office", help="The welfare offices this service hosts.")
audit_cli = CommandGroup("audit", help="The audit log: each office's entries are a hash chain.")
intake_cli.add_command(dialogue_cli)
intake_cli.add_command(audit_cli)
intake_cli.add_command(office_cli)
intake_cli.add_command(case_cli)
intake_cli.add_command(i18n_cli)
intake_cli.add_command(users_cli)

TRANSLATIONS = catalogues.TRANSLATIONS


def init_app(app: Flask) -> None:
    app.cli.add_command(intake_cli)


@dialogue_cli.command("check", with_appcontext=False)
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def dialogue_check(directory: Path | None) -> None:
    """Validate every dialogue file and programs.yaml (the same check start-up runs)."""
    settings = read_settings(Config(str(ROOT)))  # not the app: its start-up fails on the very problems shown here
    directory = directory or Path(settings["DIALOGUES_DIR"])
    try:
        engines = load_engines(directory, settings["LANGUAGES"])
    except DataFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    for engine in engines.values():
        click.echo(
            f"{engine.dialogue.source}: ok ({len(engine.dialogue.steps)} steps, {len(engine.programs)} programs)"
        )


@intake_cli.command("init-db")
def init_db() -> None:
    """Create the tables that do not exist yet."""
    from .database import create_schema

    create_schema()
    click.echo("database ready")


@intake_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what is due, delete nothing.")
@click.option("--office", "code", help="One office (by code); default: every office.")
def purge(dry_run: bool, code: str | None) -> None:
    """Delete what is due: unfinished intakes past the resume window, closed cases past their office's retention
    period (with an audit line), spent rate-limit counts. Requests do it by themselves; this is for a timer or a look."""
    from .records import utcnow
    from .services.offices import each_office
    from .services.retention import purge_office, purge_spent_counts

    now = utcnow()
    verb = "would be deleted" if dry_run else "deleted"
    # Each office's records under its own wall, one office at a time.
    for office in [_office(code)] if code else each_office("purge"):
        purged = purge_office(office, now=now, dry_run=dry_run, end_batch=commit)
        if dry_run:
            for intake in purged.intakes:
                owner = f"case {intake.case_number}" if intake.case_number else "walk-in"
                click.echo(
                    f"{office.code}: intake {intake.id} {intake.receipt_code} ({owner}, {intake.status}, "
                    f"last answered {_utc(intake.updated_at)})"
                )
            for case in purged.cases:
                click.echo(
                    f"{office.code}: case {case.case_number} (closed {_utc(case.closed_at)}, kept {purged.years} years)"
                )
        click.echo(
            f"{office.code}: {len(purged.intakes)} unfinished intake(s) and {len(purged.cases)} closed case(s) {verb}"
            + ("" if dry_run else f", {purged.step_count_rows} step count row(s) older than the office keeps them deleted")
        )
        commit()
    if not dry_run:
        commit()  # the offices' audit lines first: the counts are purged on a connection of their own
        click.echo(f"{purge_spent_counts(now)} spent rate-limit count(s) deleted")


def _utc(moment) -> str:
    from .records.audit_chain import utc_text

    return utc_text(moment)[:16] + "Z"


def _intake_by_receipt(code: str):
    from .services.conversations import find_by_receipt

    intake = find_by_receipt(code)
    if intake is None:
        raise click.ClickException(f"no intake with receipt code {code}")
    return intake


OFFICE_OPTION = click.option(
    "--office", "office_code", help="The office's code (default: the installation's own office)."
)


@intake_cli.command("export")
@click.argument("receipt_code")
@OFFICE_OPTION
def export(receipt_code: str, office_code: str | None) -> None:
    """Print everything stored about one intake of an office as JSON (a disclosure request)."""
    from .services.retention import export_intake

    _office(office_code)
    click.echo(json.dumps(export_intake(_intake_by_receipt(receipt_code)), ensure_ascii=False, indent=2))


@intake_cli.command("erase")
@click.argument("receipt_code")
@OFFICE_OPTION
@click.confirmation_option(prompt="Delete this intake and its draft plan for good?")
def erase(receipt_code: str, office_code: str | None) -> None:
    """Delete one intake of an office and its draft plan (a deletion request)."""
    from .services.retention import InUse, erase_intake

    _office(office_code)
    try:
        erase_intake(_intake_by_receipt(receipt_code))
    except InUse:
        raise click.ClickException(
            f"{receipt_code} is part of a case: erase the whole case with `flask intake case erase CASE-NUMBER`"
        ) from None
    click.echo(f"{receipt_code} deleted")


def _case_by_number(number: str, user):
    """The case of this number in the office of the staff member answering the request (_find_user's)."""
    from .extensions import db
    from .records import Case

    case = db.session.scalar(db.select(Case).filter_by(case_number=number, erased_at=None))
    if case is None:
        raise click.ClickException(f"no case {number}")
    return case


@case_cli.command("export")
@click.argument("case_number")
@click.option("--by", "username", required=True, help="The staff account answering the request (logged).")
def case_export(case_number: str, username: str) -> None:
    """Print everything stored about one case as JSON (a disclosure request); the export is logged."""
    from .services.audit_log import audit
    from .services.retention import export_case

    user = _find_user(username)
    case = _case_by_number(case_number, user)
    document = export_case(case)
    audit(user, case, "export", "case records json (cli)")
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@case_cli.command("erase")
@click.argument("case_number")
@click.option("--by", "username", required=True, help="The administrator carrying out the request.")
@click.option("--request", "reference", required=True, help="The office's reference for the deletion request.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def case_erase(case_number: str, username: str, reference: str, yes: bool) -> None:
    """Delete every record of a case (intakes, tickets, worksheet, plans, reviews) on a granted request.

    The audit log stays, with the erasure as its last entry; backups keep the data until they expire.
    """
    from .services.retention import NotAllowed, erase_case

    user = _find_user(username)
    case = _case_by_number(case_number, user)
    if not yes:
        click.confirm(
            f"Delete every record of case {case_number} ({len(case.plans)} approved plan version(s)) for good?",
            abort=True,
        )
    try:
        deleted = erase_case(case, by=user, reference=reference[:64])
    except NotAllowed:
        raise click.ClickException(f"'{username}' is not an active administrator") from None
    click.echo(f"case {case_number} erased: " + ", ".join(f"{n} {table}" for table, n in deleted.items()))


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check every office's audit chain; name the first broken link of each (office, entry) and exit 1."""
    from .extensions import db
    from .records.audit_chain import verify
    from .services.offices import each_office

    result = verify(db.session, each_office("audit_verify"))
    for broken in result.breaks:
        entry = f"entry {broken.entry_id}" if broken.entry_id is not None else "its head"
        click.echo(f"office {broken.office_code}: {entry} {broken.reason}", err=True)
    if result.breaks:
        raise SystemExit(1)
    click.echo(f"audit log intact: {result.entries} entries in {result.offices} office(s)")
    for code, (count, head) in result.heads.items():
        click.echo(f"  {code}: {count} entries, head {head or '-'}")


@intake_cli.command("demo")
def demo() -> None:
    """Load the demo office: a demo caseworker (printed with its password)."""
    from .demo import load_demo

    _office(None)
    for line in load_demo():
        click.echo(line)


def _find_user(username: str):
    """The account an operator names; from here on the command works in its office."""
    from .services.accounts import find_user
    from .unit_of_work import use_office

    office_id = office_of_account("operator", username=username.strip())
    if office_id is not None:
        use_office(office_id)
    user = find_user(username) if office_id is not None else None
    if user is None:
        raise click.ClickException(f"no user '{username}'")
    return user


def _refused(err) -> click.ClickException:
    """An account rule's refusal, in the English it is written in."""
    return click.ClickException(str(err))


def _office(code: str | None):
    """The office an operator names (by code); without one, the installation's own office."""
    from .services.offices import default_office, find_office
    from .unit_of_work import use_office

    office = find_office(code.strip().lower()) if code else default_office()
    if office is None:
        raise click.ClickException(f"no office '{code}' (see `flask intake office list`)")
    use_office(office.id)
    return office


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", "display_name", help="The name shown on pages (defaults to the username).")
@click.option("--supervisor", help="Username of the caseworker's supervisor (of the same office).")
@click.option("--office", "office_code", help="The office's code (default: the installation's own office).")
@click.option(
    "--totp-secret",
    help="A base32 secret for the one-time codes, in use at once (scripted set-up); else the user enrols at sign-in.",
)
@click.password_option(help="Prompted for when not given.")
def users_create(
    username: str,
    role: str,
    display_name: str | None,
    supervisor: str | None,
    office_code: str | None,
    totp_secret: str | None,
    password: str,
) -> None:
    """Create a staff account of an office."""
    from .services import second_factor
    from .services.accounts import AccountError, create_account

    office = _office(office_code)
    secret = _secret(totp_secret) if totp_secret else None
    try:
        user = create_account(
            None,
            username=username,
            display_name=display_name or "",
            role=role,
            supervisor=supervisor or "",
            password=password,
            office_id=office.id,
        )
    except AccountError as err:
        raise _refused(err) from None
    if secret:
        from .extensions import db

        db.session.flush()
        second_factor.provision(None, user, secret)
    click.echo(f"created {role} {username} at {office.code}")


def _secret(typed: str) -> str:
    from .services.second_factor import valid_secret

    secret = valid_secret(typed)
    if secret is None:
        raise click.ClickException("a TOTP secret is base32 (A-Z, 2-7), at least 16 characters")
    return secret


@users_cli.command("totp")
@click.argument("username")
@click.option("--secret", "typed", help="Use this base32 secret instead of a new random one.")
def users_totp(username: str, typed: str | None) -> None:
    """Give the account a one-time-code secret, in use at once, and print it (and its otpauth:// address)."""
    from .extensions import db
    from .records import Office
    from .services import second_factor

    user = _find_user(username)
    secret = _secret(typed) if typed else second_factor.new_secret()
    second_factor.provision(None, user, secret)
    office = db.session.get(Office, user.office_id)
    click.echo(secret)
    click.echo(second_factor.provisioning_uri(user, office.name))


@users_cli.command("code")
@click.argument("username")
def users_code(username: str) -> None:
    """Print the account's current one-time code (development and the demo only: refused in production)."""
    import pyotp

    if current_app.config["PRODUCTION"]:
        raise click.ClickException("not in production: a code comes from the person's own authenticator app")
    user = _find_user(username)
    if not user.totp_secret:
        raise click.ClickException(f"{username} has no one-time-code secret (they enrol at their next sign-in)")
    click.echo(pyotp.TOTP(user.totp_secret).now())


@users_cli.command("set-password")
@click.argument("username")
@click.password_option(help="Prompted for when not given.")
def users_set_password(username: str, password: str) -> None:
    """Set a new password for a staff account."""
    from .services.accounts import AccountError, set_password

    try:
        set_password(None, _find_user(username), password)
    except AccountError as err:
        raise _refused(err) from None
    click.echo(f"password changed for {username}")


@users_cli.command("deactivate")
@click.argument("username")
def users_deactivate(username: str) -> None:
    """Stop an account from signing in (its records stay); a signed-in session ends at its next request."""
    from .services.accounts import AccountError, set_active

    try:
        set_active(None, _find_user(username), False)
    except AccountError as err:
        raise _refused(err) from None
    click.echo(f"deactivated {username}")


@users_cli.command("reactivate")
@click.argument("username")
def users_reactivate(username: str) -> None:
    """Let a deactivated account sign in again."""
    from .services.accounts import set_active

    set_active(None, _find_user(username), True)
    click.echo(f"reactivated {username}")


@users_cli.command("list")
@click.option("--office", "office_code", help="Only this office's accounts (default: every office's).")
def users_list(office_code: str | None) -> None:
    """List staff accounts: username, role, active, name, office."""
    from .extensions import db
    from .records import User
    from .services.offices import each_office

    offices = [_office(office_code)] if office_code else each_office("users_list")
    for office in offices:
        for user in db.session.scalars(db.select(User).order_by(User.username)):
            state = "active" if user.active else "inactive"
            click.echo(f"{user.username}\t{user.role}\t{state}\t{user.display_name}\t{office.code}")


@office_cli.command("second-factor")
@click.argument("code")
@click.argument("state", type=click.Choice(["required", "optional"]))
def office_second_factor(code: str, state: str) -> None:
    """Whether the office's staff must sign in with a one-time code too (new offices: required)."""
    from .services import audit_log

    office = _office(code)
    office.second_factor_required = state == "required"
    audit_log.audit(None, None, "office_setting", f"second factor {state}", office_id=office.id)
    click.echo(f"{office.code}: second factor {state}")


@office_cli.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The office's name as pages and the plan sheet show it (〇〇市福祉事務所).")
@click.option("--head-title", default="", help="The head's title for the plan sheet's addressee (〇〇市福祉事務所長).")
@click.option("--time-zone", help="The office's time zone (default: the installation's).")
def office_create(code: str, name: str, head_title: str, time_zone: str | None) -> None:
    """Add an office to the service; then `users create … --office CODE` for its staff."""
    from .services.offices import OfficeError, create_office

    try:
        office = create_office(code, name=name, head_title=head_title, time_zone=time_zone)
    except OfficeError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"created office {office.code}: {office.name}")


@office_cli.command("retention")
@click.argument("code")
@click.argument("years", required=False, type=int)
def office_retention(code: str, years: int | None) -> None:
    """Show, or set to YEARS, how long the office keeps a closed case and its plans before they are purged."""
    from .services.offices import find_office
    from .services.retention import retention_years

    office = find_office(code.strip().lower())
    if office is None:
        raise click.ClickException(f"no office '{code}'")
    if years is not None:
        if not 1 <= years <= 100:
            raise click.ClickException("keep closed cases between 1 and 100 years")
        office.case_retention_years = years
    click.echo(f"{office.code}: closed cases are kept {retention_years(office)} years after closing")


@office_cli.command("list")
def office_list() -> None:
    """List the offices: code, name, staff accounts, cases."""
    from .extensions import db
    from .records import Case, User
    from .services.offices import each_office

    for office in each_office("office_list"):
        staff = db.session.scalar(db.select(db.func.count(User.id)))
        cases = db.session.scalar(db.select(db.func.count(Case.id)))
        click.echo(f"{office.code}\t{office.name}\t{staff} staff\t{cases} cases")


@i18n_cli.command("extract")
def i18n_extract() -> None:
    """Extract messages from Python, templates and dialogue files into messages.pot (recipients) and staff.pot."""
    for domain, count in catalogues.extract().items():
        click.echo(f"{domain}.pot: {count} strings")


@i18n_cli.command("update")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Translations folder (default: translations/).",
)
def i18n_update(directory: Path | None) -> None:
    """Merge messages.pot into every recipient language's messages.po and staff.pot into ja/staff.po;
    start a catalogue for each new configured language (English is the source and gets none).

    New strings appear untranslated; a dialogue string whose English changed keeps its old
    translation, marked fuzzy, with the old English beside it.
    """
    for locale, carried in catalogues.update(directory or TRANSLATIONS, current_app.config["LANGUAGES"]).items():
        if carried:
            click.echo(f"{locale}: {carried} changed dialogue strings kept their old translation, marked fuzzy")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Build the .mo files the app reads (not committed)."""
    catalogues.compile_all()


def _locales(requested: tuple[str, ...], translations: Path) -> list[str]:
    configured = list(current_app.config["LANGUAGES"])
    on_disk = [code for code in catalogues.locales_on_disk(translations) if code not in configured]
    return list(requested) or configured + on_disk


@i18n_cli.command("status")
@click.option("--directory", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Translations folder.")
@click.option("--locale", "requested", multiple=True, help="Only these locales (repeatable).")
def i18n_status(directory: Path | None, requested: tuple[str, ...]) -> None:
    """A table per domain and locale: translated, fuzzy, untranslated, % complete, changed in the source, readings.

    `messages` is what recipients read (every recipient language); `staff` what only staff read (Japanese).
    English is the source and has no catalogue.
    """
    translations = directory or TRANSLATIONS
    names = current_app.config["LANGUAGES"]
    draft = set(current_app.config["LANGUAGES_DRAFT"])
    furigana = current_app.config["FURIGANA"]
    header = (
        "locale",
        "language",
        "state",
        "translated",
        "fuzzy",
        "untranslated",
        "complete",
        "changed",
        "readings (to review)",
    )
    for domain in catalogues.DOMAINS:
        template_path = translations / f"{domain}.pot"
        if not template_path.exists():
            continue
        template = catalogues.read(template_path)
        audience = "what recipients read" if domain == catalogues.RECIPIENT_DOMAIN else "what only staff read"
        click.echo(f"{domain} ({audience}): {sum(1 for m in template if m.id)} strings in {template_path.name}")
        rows = []
        for locale in catalogues.domain_locales(domain, _locales(requested, translations)):
            readings_too = locale in furigana and domain == catalogues.RECIPIENT_DOMAIN
            found = catalogues.status(template, translations, locale, furigana=readings_too, domain=domain)
            state = "draft" if locale in draft else ("shipped" if locale in names else "not offered")
            readings_cell = "" if found.readings is None else f"{found.readings} ({found.readings_to_review})"
            rows.append(
                (
                    locale,
                    names.get(locale, ""),
                    state,
                    str(found.translated),
                    str(found.fuzzy),
                    str(found.untranslated),
                    f"{found.percent:.1f}%",
                    str(found.changed),
                    readings_cell,
                )
            )
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            click.echo("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
        click.echo("")
    click.echo(f"{catalogues.SOURCE_LOCALE}: the source language (the msgids), nothing to translate")
    if readability.EASY_LOCALE in _locales(requested, translations):
        _readability_report(catalogues.po_path(translations, readability.EASY_LOCALE))


def _readability_report(po: Path, hardest: int = 5) -> None:
    """Easy Japanese: the median score, how many strings read as hard, and the hardest few."""
    try:
        found = readability.scores(po)
    except readability.ReadabilityUnavailable as missing:
        click.echo(f"{readability.EASY_LOCALE} readability: {missing}")
        return
    total = readability.summary(found)
    if total.median is None:
        return
    click.echo(
        f"{readability.EASY_LOCALE} readability (jReadability, higher is easier): {total.scored} strings scored, "
        f"median {total.median:.1f} ({total.band}), {total.hard} hard (under {readability.HARD_BELOW})"
    )
    for score in [s for s in found if s.hard][:hardest]:
        click.echo(f"  {score.score:5.2f} {score.band}: {score.text}")


def _width(text: str) -> int:
    """Columns a cell takes in a terminal: East Asian wide characters take two."""
    import unicodedata

    return sum(
        0 if unicodedata.category(c) == "Mn" else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


@i18n_cli.command("check")
@click.option("--directory", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Translations folder.")
@click.option(
    "--locale", "requested", multiple=True, help="Only these locales (repeatable); named locales count as shipped."
)
def i18n_check(directory: Path | None, requested: tuple[str, ...]) -> None:
    """Fail on broken placeholders, markup or plural forms, untranslated or fuzzy strings and missing furigana
    in a shipped locale; each problem as `file:line: what is wrong — how to fix it`.

    Recipient languages are checked against messages.pot; staff strings (staff.pot) only in Japanese.
    """
    translations = directory or TRANSLATIONS
    draft = set(current_app.config["LANGUAGES_DRAFT"])
    configured = current_app.config["LANGUAGES"]
    furigana = current_app.config["FURIGANA"]
    failed = []
    for domain in catalogues.DOMAINS:
        template_path = translations / f"{domain}.pot"
        if not template_path.exists():
            continue
        template = catalogues.read(template_path)
        for locale in catalogues.domain_locales(domain, _locales(requested, translations)):
            shipped = bool(requested) or (locale in configured and locale not in draft)
            report = catalogues.check(
                template,
                translations,
                locale,
                shipped=shipped,
                furigana=locale in furigana and domain == catalogues.RECIPIENT_DOMAIN,
                domain=domain,
            )
            label = "shipped" if shipped else "draft, not failed"
            if not report.errors:
                click.echo(f"{locale} {domain}: ok")
                continue
            click.echo(f"{locale} {domain} ({label}): {len(report.errors)} problems", err=report.failed)
            for error in report.errors[:50]:
                click.echo(f"  {error}", err=report.failed)
            if len(report.errors) > 50:
                click.echo(f"  … and {len(report.errors) - 50} more", err=report.failed)
            if report.failed:
                failed.append(f"{locale} {domain}")
    if failed:
        click.echo(f"check failed: {', '.join(failed)}", err=True)
        raise SystemExit(1)


@i18n_cli.command("readings")
@click.option("--directory", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Translations folder.")
@click.option("--locale", "requested", multiple=True, help="Only these locales (default: every furigana locale).")
def i18n_readings(directory: Path | None, requested: tuple[str, ...]) -> None:
    """Propose furigana for new or changed Japanese text (fuzzy until a translator confirms); keep the rest."""
    translations = directory or TRANSLATIONS
    analyser = readings.Analyser()
    for locale in requested or current_app.config["FURIGANA"]:
        po = catalogues.po_path(translations, locale)
        if not po.exists():
            click.echo(f"{locale}: no {po}, skipped")
            continue
        path = readings.readings_path(translations, locale)
        refreshed, proposed = readings.refresh(catalogues.read(po), readings.load(path), analyser, locale)
        readings.save(refreshed, path)
        click.echo(f"{locale}: {len(refreshed)} readings, {proposed} new proposals to review")
