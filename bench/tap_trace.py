"""Where a tap's browser time goes (not a test): Chromium's trace of whole walks, tap by tap, CPU slowed 4×.

    .venv/bin/python bench/tap_trace.py [--walks 2] [--throttle 4] [--root OTHER_CHECKOUT] [--save trace.json]
    .venv/bin/python bench/tap_trace.py --locale ja@easy --text-size larger --furigana on   # as kiosk_tap.py

The same set-up as kiosk_tap.py (gunicorn, Debian's Chromium, the same answers; the first walk warms up and
is not counted), with Chromium's tracing on (the DevTools timeline categories). For every tap, from the
click's dispatch to the first frame drawn with the new question, the renderer's main thread is split by
what it was doing (self time, so nothing is counted twice):

- parse: the HTML parser (the reply: `DOMParser` or a template's contents);
- script: kiosk.js and the rest of the JavaScript, not counting what it forced;
- forced style / forced layout: style and layout run synchronously inside script (focus(), scrollIntoView(),
  a geometry read), i.e. before the frame;
- style / layout / paint: the frame's own work after the script (paint: the frame's task with pre-paint,
  paint, layerize and commit);
- other: everything else on the main thread (receiving the reply, timers, GC, hit tests);
- idle: the main thread doing nothing (waiting for the network, the server, the next frame).

It prints the median of each over the taps and the slowest taps one by one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "browser"), str(ROOT / "bench")]

from harness import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from kiosk_tap import PROBE, prepare, walk  # noqa: E402
from liveserver import Gunicorn  # noqa: E402
from walk import typical_answers  # noqa: E402

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "v8.execute",
    "toplevel",
    "disabled-by-default-devtools.timeline.stack",
]

SCRIPT = {
    "FunctionCall",
    "EvaluateScript",
    "v8.callFunction",
    "V8.Execute",
    "TimerFire",
    "FireAnimationFrame",
    "EventDispatch",
    "v8.run",
    "RunMicrotasks",
    "V8.RunMicrotasks",
    "FireIdleCallback",
}
STYLE = {"UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet", "ScheduleStyleRecalculation"}
LAYOUT = {"Layout", "UpdateLayout", "LayoutShift"}
PAINT = {
    "BeginMainFrame",
    "PrePaint",
    "Paint",
    "PaintImage",
    "Layerize",
    "UpdateLayer",
    "UpdateLayerTree",
    "CompositeLayers",
    "Commit",
    "RasterTask",
    "PaintSetup",
    "Decode Image",
    "IntersectionObserverController::computeIntersections",
    "HitTest",
}


def bucket(name: str, inside_script: bool) -> str:
    if name == "ParseHTML":
        return "parse"
    if name in STYLE:
        return "forced style" if inside_script else "style"
    if name in LAYOUT:
        return "forced layout" if inside_script else "layout"
    if name in PAINT:
        return "paint"
    if name in SCRIPT or name.startswith("v8") or name.startswith("V8"):
        return "script"
    return "other"


def main_threads(events: list[dict]) -> set[tuple[int, int]]:
    return {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }


def slices(events: list[dict], thread: tuple[int, int]) -> list[tuple[float, float, str]]:
    """Complete slices (start, end, name) of one thread, B/E pairs joined."""
    out, open_ = [], defaultdict(list)
    for e in events:
        if (e.get("pid"), e.get("tid")) != thread:
            continue
        ph = e.get("ph")
        if ph == "X" and "dur" in e:
            # The frame's own task (BeginMainFrame) has work of its own besides its Paint and Commit slices.
            frame = e.get("args", {}).get("src_func") == "ScheduledActionSendBeginMainFrame"
            out.append((e["ts"], e["ts"] + e["dur"], "BeginMainFrame" if frame else e["name"]))
        elif ph == "B":
            open_[e["name"]].append(e["ts"])
        elif ph == "E" and open_[e["name"]]:
            out.append((open_[e["name"]].pop(), e["ts"], e["name"]))
    out.sort(key=lambda s: (s[0], -s[1]))
    return out


def split(window: tuple[float, float], parts: list[tuple[float, float, str]]) -> dict:
    """Self time by bucket (ms) inside the window."""
    start, end = window
    totals: dict[str, float] = defaultdict(float)
    stack: list[list] = []  # [end, name, child time, inside script]

    def close(upto: float) -> None:
        while stack and stack[-1][0] <= upto:
            done = stack.pop()
            own = done[3]
            totals[bucket(done[1], own[0])] += max(0.0, own[1] - done[2])
            if stack:
                stack[-1][2] += own[1]

    for s, e, name in parts:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        close(s)
        inside = any(bucket(frame[1], False) == "script" for frame in stack)
        stack.append([e, name, 0.0, (inside, e - s)])
    close(float("inf"))
    busy = sum(totals.values())
    totals["idle"] = (end - start) - busy
    return {k: v / 1000 for k, v in totals.items()}


def analyse(events: list[dict]) -> list[dict]:
    marks = sorted(
        (e["ts"], e["name"], (e["pid"], e["tid"]))
        for e in events
        if e.get("cat", "").startswith("blink.user_timing")
        and e.get("name", "").startswith("bench-")
        and e.get("ph") in ("R", "I", "n", "b", "e")
    )
    threads = main_threads(events)
    taps, current = [], None
    for ts, name, thread in marks:
        if name == "bench-tap":
            current = (ts, thread)
        elif name.startswith("bench-painted:") and current:
            taps.append({"step": name.split(":", 1)[1], "window": (current[0], ts), "thread": current[1]})
            current = None
    by_thread = {t: slices(events, t) for t in threads}
    for tap in taps:
        tap["split"] = split(tap["window"], by_thread.get(tap["thread"], []))
        tap["total"] = (tap["window"][1] - tap["window"][0]) / 1000
    return taps


ORDER = ["parse", "script", "forced style", "forced layout", "style", "layout", "paint", "other", "idle"]


def print_report(taps: list[dict], slowest: int) -> None:
    print(f"{len(taps)} taps")
    print(
        "  median ms: "
        + "  ".join(f"{k} {statistics.median(t['split'].get(k, 0) for t in taps):.1f}" for k in ORDER)
        + f"  total {statistics.median(t['total'] for t in taps):.1f}"
    )
    print(
        "  mean ms:   "
        + "  ".join(f"{k} {statistics.fmean(t['split'].get(k, 0) for t in taps):.1f}" for k in ORDER)
        + f"  total {statistics.fmean(t['total'] for t in taps):.1f}"
    )
    for tap in sorted(taps, key=lambda t: -t["total"])[:slowest]:
        parts = "  ".join(f"{k} {tap['split'].get(k, 0):.0f}" for k in ORDER)
        print(f"  {tap['step']:<18} {tap['total']:6.0f} ms: {parts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--walks", type=int, default=2)
    parser.add_argument("--throttle", type=float, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve (default: this tree)")
    parser.add_argument("--slowest", type=int, default=25)
    parser.add_argument("--save", type=Path, help="also write the last walk's trace (chrome://tracing, Perfetto)")
    parser.add_argument("--locale", help="walk in this language from the welcome screen on (as kiosk_tap.py)")
    parser.add_argument("--text-size", choices=("standard", "large", "larger"), help="the kiosk's text size button")
    parser.add_argument("--furigana", choices=("on", "off"), help="the kiosk's furigana button (Japanese pages)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    answers = typical_answers() | ({"language": args.locale} if args.locale else {})
    env = {"YORISOI_WTF_CSRF_ENABLED": "true", "YORISOI_KIOSK_DEFAULT_LOCALE": args.locale or "en"}
    display = {"text_size": args.text_size, "furigana": args.furigana}
    taps: list[dict] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        url = f"sqlite:///{folder}/trace.sqlite3"
        prepare(url)
        server = stack.enter_context(Gunicorn(url, workers=args.workers, env=env, root=args.root.resolve()))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for number in range(args.walks + 1):
            context = browser.new_context(viewport={"width": 1080, "height": 1400}, locale="en-GB")
            page = context.new_page()
            page.add_init_script(PROBE)
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
            if number:
                browser.start_tracing(page=page, categories=CATEGORIES)
            walk(page, server.base, answers, cdp, display)
            if number:
                raw = browser.stop_tracing()
                events = json.loads(raw)["traceEvents"]
                taps += analyse(events)
                if args.save:
                    args.save.write_bytes(raw)
            context.close()
        browser.close()
    chosen = "".join(f", {part}" for part in [args.locale, args.text_size and f"text size {args.text_size}",
                                               args.furigana and f"furigana {args.furigana}"] if part)
    print(f"{args.root}: {args.walks} traced walks, CPU slowed {args.throttle:g}×{chosen}")
    print_report(taps, args.slowest)
    print(f"  machine load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")


if __name__ == "__main__":
    main()
