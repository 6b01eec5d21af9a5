"""Load benchmark (not a test): simulated kiosks walk the whole dialogue through the JSON API under gunicorn.

    .venv/bin/python bench/load.py                          # SQLite, 32 kiosks, no think time, 30 s
    .venv/bin/python bench/load.py --kiosks 500 --think 2 10 --seconds 60
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://user:pw@127.0.0.1/bench
    .venv/bin/python bench/load.py --database-url sqlite:////tmp/b.sqlite3 --database-url postgresql+psycopg://…
    .venv/bin/python bench/load.py --compare /tmp/before           # another checkout, in the same rounds
    .venv/bin/python bench/load.py --database-url … --nodes 2 --offices 10 --migrate --kiosks 500 --think 2 10
    .venv/bin/python bench/load.py --migrate --database-url postgresql+psycopg://APP:…/bench --owner-url postgresql+psycopg://OWNER:…/bench

It starts gunicorn on 127.0.0.1 (ports 5300–5399), runs N kiosk threads that each start an
intake and answer every step with typical answers (tests/walk.py) until the time is up, then
compares the database with every answer the server acknowledged. In the same run it drives the
floor app (bench/floor.py: one compare-and-set write and one read per request) with the same
kiosks and prints our throughput as a share of the floor's, and beside it each app's CPU per step: the
CPU seconds its gunicorn workers spent (user + system, read from /proc before and after each round) over the
steps answered, which a busy machine changes much less than the throughput. The database is emptied first: use
a database of its own.

With --nodes N the app runs as N gunicorn servers on N ports (one service, several nodes) and the kiosks
are spread across them; with --offices M there are M offices and each kiosk is enrolled to one of them
(its intakes must land in that office: checked after the run). --migrate builds the schema with the
migrations, so on PostgreSQL the row-level security policies are made; they hold a role that owns nothing
(docs/deployment.md), not the owner, so with one role the ORM's wall is the only one measured.

--database-url given more than once measures each database in turn, each against its own floor, and
prints a summary line per database. --compare DIR serves another checkout of the app (same schema,
catalogues compiled) on as many nodes, driven in the same rounds as a third app, for before and after
in one run; its kiosks are enrolled like ours and their answers and offices are checked alike.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ goes last (Python put it first, as the script's folder): bench/queue.py must not hide the standard
# library's queue, which psycopg imports.
sys.path[:] = [str(ROOT), str(ROOT / "tests")] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.append(str(ROOT / "bench"))

from floor import create_tables  # noqa: E402
from liveserver import Gunicorn, HttpKiosk, request  # noqa: E402
from walk import api_body, typical_answers  # noqa: E402


@dataclass
class Tally:
    """What all kiosks of one run saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    walks: int = 0
    steps: int = 0
    cpu: float = 0.0  # the server's worker processes' CPU seconds (user + system) while these kiosks ran
    lock: threading.Lock = field(default_factory=threading.Lock)

    def step(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.steps += 1

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def think(bounds: tuple[float, float], until: float) -> None:
    low, high = bounds
    if high > 0:
        time.sleep(max(0.0, min(random.uniform(low, high), until - time.monotonic())))


@dataclass(frozen=True)
class Screen:
    """Where one kiosk stands: the node it talks to, and the office it is enrolled to."""

    base: str
    office: str = ""
    enrolment: str = ""


def run_kiosk(screen: Screen, until: float, think_time, tally: Tally, acknowledged: dict, offices: dict) -> None:
    """One kiosk: walk the dialogue again and again until `until`; record every acknowledged answer."""
    answers = typical_answers()
    # Stagger the starts over one think time, as kiosks are not all started at once.
    think((0, think_time[1]), until)
    while time.monotonic() < until:
        kiosk = HttpKiosk(screen.base, retries=1, enrolment=screen.enrolment)
        try:
            kiosk.start()
        except RuntimeError as err:
            tally.error(f"start: {err}")
            continue
        acknowledged[kiosk.token] = kiosk.acknowledged
        offices[kiosk.token] = screen.office
        while kiosk.step["kind"] != "done" and time.monotonic() < until:
            think(think_time, until)
            if time.monotonic() >= until:
                break
            body = api_body(kiosk.step, answers)
            began = time.perf_counter()
            try:
                status, data = kiosk.answer(body)
            except RuntimeError as err:
                tally.error(str(err))
                break
            if status != 200:
                tally.error(f"{body['step']}: {status} {str(data)[:200]}")
                break
            tally.step(time.perf_counter() - began)
        else:
            if kiosk.step["kind"] == "done":
                with tally.lock:
                    tally.walks += 1


def run_floor_kiosk(base: str, until: float, think_time, tally: Tally, steps_per_walk: int) -> None:
    """The same kiosk against the floor app: start a row, then one write+read per step."""
    think((0, think_time[1]), until)
    while time.monotonic() < until:
        status, data, _ = request(base, "POST", "/floor/rows", {})
        if status != 201:
            tally.error(f"floor start: {status}")
            continue
        token = data["token"]
        for index in range(steps_per_walk):
            think(think_time, until)
            if time.monotonic() >= until:
                return
            began = time.perf_counter()
            status, _, _ = request(base, "POST", f"/floor/rows/{token}", {"step": f"s{index}", "value": index})
            if status != 200:
                tally.error(f"floor step: {status}")
                break
            tally.step(time.perf_counter() - began)
        with tally.lock:
            tally.walks += 1


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(servers: list[Gunicorn]) -> float:
    """User + system CPU seconds so far of every worker process of these gunicorn servers (/proc/PID/stat)."""
    total = 0
    for server in servers:
        for pid in server.worker_pids():
            with contextlib.suppress(OSError):  # a worker that just exited
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the file)
    return total / _TICKS


def drive(
    target, screens: list, kiosks: int, seconds: float, think_time, tally: Tally, *extra, servers: list = ()
) -> float:
    """Run `kiosks` threads of `target` for `seconds` (kiosk i at screens[i % len]), adding to `tally`.

    The CPU seconds the `servers`' workers spent meanwhile are added to the tally too (one app runs at a time).
    """
    until = time.monotonic() + seconds
    cpu_before = cpu_seconds(list(servers))
    threads = [
        threading.Thread(target=target, args=(screens[i % len(screens)], until, think_time, tally, *extra))
        for i in range(kiosks)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.cpu += cpu_seconds(list(servers)) - cpu_before
    return time.monotonic() - began


def lost_answers(database_url: str, acknowledged: dict, offices: dict) -> tuple[int, int, int, dict]:
    """(answers the server acknowledged, of those not in the database as sent, intakes in another office than
    their kiosk's, intakes per office)."""
    from intake import create_app
    from intake.extensions import db
    from intake.records import Intake, Office
    from intake.unit_of_work import use_office

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    checked = lost = misplaced = 0
    with app.app_context():
        stored = {}
        for office in db.session.scalars(db.select(Office)).all():  # each office's intakes, through its wall
            use_office(office.id)
            for token, answers in db.session.execute(db.select(Intake.token, Intake.answers)):
                stored[token] = (answers, office.code)
        for token, sent in acknowledged.items():
            answers, code = stored.get(token, ({}, None))
            if offices.get(token) and code != offices[token]:
                misplaced += 1
            for step_id, value in sent.items():
                checked += 1
                if answers.get(step_id, "missing") != (value or None):
                    lost += 1
        per_office: dict[str, int] = {}
        for _answers, code in stored.values():
            per_office[code] = per_office.get(code, 0) + 1
        db.engine.dispose()
    return checked, lost, misplaced, per_office


def walk_length() -> int:
    """Answered steps in a typical walk: the floor's kiosks make as many requests per walk."""
    from engine import typical_walk

    from intake.config import Defaults
    from intake.domain.office import load_engines

    engine = load_engines(Path(Defaults.DIALOGUES_DIR), Defaults.LANGUAGES)[Defaults.INTAKE_DIALOGUE]
    return len(typical_walk(engine)[0])


def prepare(
    database_url: str, offices: int, migrate: bool, compare: Path | None, owner_url: str | None = None
) -> list[tuple[str, str]]:
    """An empty schema (from the models, or the migrations), `offices` offices; each office's (code, kiosk cookie).

    Every table in the database goes first, also one only another checkout's models have; with --compare that
    checkout's models then add the tables it has and ours lack (create_all leaves existing ones alone).
    `owner_url`: the tables' owner, when the app connects as a role that owns nothing (row security on PostgreSQL).
    """
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from liveserver import SECRET

    from intake import create_app
    from intake.database import MIGRATIONS, as_owner, create_schema
    from intake.extensions import db
    from intake.services.offices import all_offices, create_office
    from intake.web.offices import KIOSK_COOKIE, kiosk_cookie

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "OWNER_DATABASE_URI": owner_url})
    with app.app_context():
        with as_owner(app) as connection:
            everything = sa.MetaData()
            everything.reflect(connection)
            everything.drop_all(connection)
        if migrate:
            upgrade(directory=str(MIGRATIONS))
        else:
            create_schema()
        for number in range(2, offices + 1):  # offices are no office's records: no crossing of the wall
            create_office(f"office-{number:02d}", name=f"第{number}福祉事務所")
        db.session.commit()
        enrolments = [(office.code, f"{KIOSK_COOKIE}={kiosk_cookie(office)}") for office in all_offices()]
        db.engine.dispose()
    if compare is not None:
        _add_tables_of(compare, owner_url or database_url)
    create_tables(owner_url or database_url, grant_to=database_url if owner_url else None)
    return enrolments


def _add_tables_of(checkout: Path, database_url: str) -> None:
    """The other checkout's models create what tables they need and ours lack (its own Python, its own process)."""
    create = (
        "from intake import create_app; from intake.extensions import db; "
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {database_url!r}, 'SECRET_KEY': 'bench'}}); "
        "app.app_context().push(); db.create_all()"
    )
    env = os.environ | {"PYTHONPATH": str(checkout)}
    subprocess.run([sys.executable, "-c", create], cwd=checkout, env=env, check=True)


def cpu_per_step(tally: Tally) -> float:
    """The server's CPU milliseconds per answered step (the floor: per request)."""
    return 1000 * tally.cpu / tally.steps if tally.steps else float("nan")


def report(name: str, tally: Tally, elapsed: float) -> float:
    rate = tally.steps / elapsed
    ms = [1000 * s for s in tally.latencies]
    print(
        f"  {name:<6} {rate:8.1f} steps/s   p50 {percentile(ms, 0.50):6.1f} ms   p95 {percentile(ms, 0.95):6.1f} ms"
        f"   p99 {percentile(ms, 0.99):6.1f} ms   mean {statistics.fmean(ms) if ms else 0:6.1f} ms"
        f"   walks {tally.walks:5d}   errors {len(tally.errors)}   CPU {cpu_per_step(tally):5.2f} ms/step"
    )
    for error in tally.errors[:5]:
        print(f"         error: {error}")
    return rate


def start_nodes(stack: contextlib.ExitStack, url: str, args, root: Path = ROOT) -> list[Gunicorn]:
    """`args.nodes` gunicorn servers of the app in `root` (this checkout, or the one given to --compare)."""
    env = {"YORISOI_WTF_CSRF_ENABLED": "true"}
    return [stack.enter_context(Gunicorn(url, workers=args.workers, env=env, root=root)) for _ in range(args.nodes)]


def kiosk_screens(nodes: list[Gunicorn], enrolments: list[tuple[str, str]], offices: int) -> list[Screen]:
    """Kiosk i talks to node i mod N and is enrolled to office i mod M (one office: no enrolment needed)."""
    return [
        Screen(nodes[i % len(nodes)].base, *(enrolments[i % offices] if offices > 1 else ("", "")))
        for i in range(len(nodes) * offices)
    ]


@dataclass(frozen=True)
class Result:
    """One database's line in the summary."""

    database: str
    rate: float
    cpu: float
    cpu_ratio: float | None
    ratio: float | None
    compared_ratio: float | None
    errors: int
    lost: int
    misplaced: int


def run_one(url: str, args) -> Result:
    """One database: our kiosks, the floor's and --compare's, rounds alternating; returns what the summary shows."""
    enrolments = prepare(url, args.offices, args.migrate, args.compare.resolve() if args.compare else None, args.owner_url)
    think_time = tuple(args.think)
    database = url.split(":", 1)[0].split("+")[0]
    print(
        f"{database}: {args.kiosks} kiosks, think {think_time[0]:g}-{think_time[1]:g} s, "
        f"{args.seconds:g} s, {args.nodes} node(s) × gunicorn {args.workers} sync workers, "
        f"{args.offices} office(s){', schema from the migrations' if args.migrate else ''}"
        f"{', the tables owned by another role than the app' if args.owner_url else ''}"
        f"{f', against {args.compare}' if args.compare else ''}"
    )
    acknowledged: dict = {}
    kiosk_offices: dict = {}
    steps_per_walk = walk_length()
    ours, floor_tally, other = Tally(), Tally(), Tally()
    ours_elapsed = floor_elapsed = other_elapsed = 0.0
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        nodes = start_nodes(stack, url, args)
        screens = kiosk_screens(nodes, enrolments, args.offices)
        other_nodes = start_nodes(stack, url, args, args.compare.resolve()) if args.compare else []
        compared = kiosk_screens(other_nodes, enrolments, args.offices) if other_nodes else []
        # bench.floor, not floor with bench/ on the path: bench/queue.py would hide the standard library's queue.
        floor = None if args.no_floor else stack.enter_context(
            Gunicorn(url, workers=args.workers, app="bench.floor:create_floor_app()", ready_path="/floor/ready",
                     env={"PYTHONPATH": f"{ROOT}"})
        )  # fmt: skip
        # Rounds alternate between the apps, so a busy moment of the machine hits each alike.
        share = args.seconds / args.rounds
        for _ in range(args.rounds):
            ours_elapsed += drive(
                run_kiosk, screens, args.kiosks, share, think_time, ours, acknowledged, kiosk_offices, servers=nodes
            )
            if floor is not None:
                floor_elapsed += drive(
                    run_floor_kiosk, [floor.base], args.kiosks, share, think_time, floor_tally, steps_per_walk,
                    servers=[floor],
                )  # fmt: skip
            if compared:
                other_elapsed += drive(
                    run_kiosk, compared, args.kiosks, share, think_time, other, acknowledged, kiosk_offices,
                    servers=other_nodes,
                )  # fmt: skip
    rate = report("yorisoi", ours, ours_elapsed)
    other_rate = report("other", other, other_elapsed) if compared else None
    checked, lost, misplaced, per_office = lost_answers(url, acknowledged, kiosk_offices)
    print(f"  answers acknowledged {checked}, lost {lost}; intakes in another office than their kiosk's {misplaced}")
    if args.offices > 1:
        counts = sorted(per_office.values())
        print(f"  intakes per office: {len(per_office)} offices, {counts[0]}–{counts[-1]}")
    ratio = compared_ratio = cpu_ratio = None
    if floor is not None:
        floor_rate = report("floor", floor_tally, floor_elapsed)
        ratio = rate / floor_rate
        cpu_ratio = cpu_per_step(ours) / cpu_per_step(floor_tally)
        print(f"  ratio yorisoi/floor {ratio:.2f} steps/s;   CPU per step yorisoi/floor {cpu_ratio:.2f} (goal ≤ 1.25)")
        if other_rate is not None:
            compared_ratio = other_rate / floor_rate
            print(
                f"  ratio {args.compare}/floor {compared_ratio:.2f} steps/s;   CPU per step {args.compare}/floor "
                f"{cpu_per_step(other) / cpu_per_step(floor_tally):.2f}"
            )
    print(f"  machine load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    errors = len(ours.errors) + len(other.errors)
    return Result(database, rate, cpu_per_step(ours), cpu_ratio, ratio, compared_ratio, errors, lost, misplaced)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        action="append",
        help="default: a new SQLite file in a temporary folder; give it twice (sqlite:///… and postgresql+psycopg://…) "
        "to measure both databases one after the other in one run",
    )
    parser.add_argument(
        "--owner-url",
        help="the tables' owner (PostgreSQL): the schema is made as this role, the app connects with --database-url's "
        "role, which owns nothing, so row-level security holds it (one database: give one --database-url)",
    )
    parser.add_argument("--kiosks", type=int, default=32)
    parser.add_argument("--think", type=float, nargs=2, default=(0.0, 0.0), metavar=("MIN", "MAX"))
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4, help="sync workers per node")
    parser.add_argument("--rounds", type=int, default=3, help="alternate ours and the floor this many times")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor app")
    parser.add_argument("--nodes", type=int, default=1, help="gunicorn servers on as many ports (kiosks spread)")
    parser.add_argument("--offices", type=int, default=1, help="offices, each with its share of enrolled kiosks")
    parser.add_argument("--migrate", action="store_true", help="the schema from the migrations (row-level security)")
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout of the app (same schema, catalogues compiled), driven in the same rounds as a third "
        "app on as many nodes",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        results = [run_one(url, args) for url in args.database_url or [f"sqlite:///{folder}/bench.sqlite3"]]
    if len(results) > 1:
        print("summary:")
        for result in results:
            ratios = [f"{r:.2f}" if r is not None else "-" for r in (result.ratio, result.compared_ratio)]
            cpu_ratio = f"{result.cpu_ratio:.2f}" if result.cpu_ratio is not None else "-"
            print(
                f"  {result.database:<10} {result.rate:8.1f} steps/s   ratio {ratios[0]}"
                f"   CPU {result.cpu:.2f} ms/step, {cpu_ratio} × the floor's"
                f"{f'   compared ratio {ratios[1]}' if args.compare else ''}   errors {result.errors}"
                f"   lost {result.lost}   misplaced {result.misplaced}"
            )
    if any(result.errors or result.lost or result.misplaced for result in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
