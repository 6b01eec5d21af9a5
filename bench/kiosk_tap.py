"""What a kiosk feels (not a test): tap → next question painted, in Chromium with JavaScript on, CPU slowed 4×.

    .venv/bin/python bench/kiosk_tap.py [--walks 3] [--throttle 4] [--compare OTHER_CHECKOUT]
    .venv/bin/python bench/kiosk_tap.py --locale ja@easy --text-size larger --furigana on   # one language, as set

Without --locale the walk starts in English and its language step picks Japanese (the standard walk, as it always
was); with it, the kiosk opens in that language and the language step keeps it. --text-size and --furigana are
set with the kiosk's own display buttons once the first question is on screen (furigana: Japanese pages only).

gunicorn serves the app (4 sync workers, CSRF on) on 127.0.0.1; Debian's Chromium, driven by Playwright,
walks the whole dialogue as a person would, with the CPU slowed by the DevTools protocol
(`Emulation.setCPUThrottlingRate`), as on a cheap kiosk tablet. For every tap it measures, in the page:

- tap → painted: from the click event's timestamp to the first frame after the new question is in the
  page (a MutationObserver sees `.question` change, then requestAnimationFrame and a message posted
  from it: the frame has been drawn by then);
- of which network and server: the fetches kiosk.js made for it (Resource Timing; that includes any time the
  page's main thread was too busy to take the reply in);
- the rest is the browser's work: kiosk.js parsing the reply, swapping it in, style, layout, paint.

Filling in the form is not timed: only what happens after the finger lifts. The tap itself is raw input
through the DevTools protocol, and the harness asks the page nothing until the probe says the frame is drawn:
Playwright's own click and waits run its scripts in the page, which cost the renderer 30-60 ms a tap at 4×
(bench/tap_trace.py showed it). bench/tap_trace.py splits the browser's part further with Chromium's trace.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "browser"), str(ROOT / "bench")]

from harness import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from kiosk_driver import current_step, prepare_answer, start, wait_for_step_after  # noqa: E402
from liveserver import Gunicorn  # noqa: E402
from load import percentile  # noqa: E402
from walk import typical_answers  # noqa: E402

# Installed before any page script: marks the tap, then the first painted frame with a new question.
PROBE = """
(() => {
  const probe = (window.__tapProbe = { taps: [], tap: null });
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(".question button")) {
      const question = document.querySelector(".question");
      probe.tap = { at: event.timeStamp, from: question && question.dataset.step };
      performance.mark("bench-tap");  // for bench/tap_trace.py's trace
      performance.clearResourceTimings();
    }
  }, true);
  const painted = () => {
    const tap = probe.tap;
    if (!tap) return;
    const question = document.querySelector(".question");
    if (!question || question.dataset.step === tap.from) return;
    probe.tap = null;
    const shown = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();  // runs after the frame the rAF belongs to is drawn
      channel.port1.onmessage = () => {
        const wire = performance.getEntriesByType("resource")
          .filter((entry) => entry.initiatorType === "fetch")
          .reduce((sum, entry) => sum + (entry.responseEnd - entry.startTime), 0);
        probe.taps.push({ step: tap.from, to: question.dataset.step, total: performance.now() - tap.at,
                          inPage: shown - tap.at, wire: wire });
        performance.mark("bench-painted:" + tap.from);
        console.debug("bench-painted");  // the harness waits for this without asking the page anything
      };
      channel.port2.postMessage(null);
    });
  };
  new MutationObserver(painted).observe(document, { childList: true, subtree: true });
})();
"""


def walk(page, base: str, answers: dict, cdp, display: dict | None = None) -> list[dict]:
    """One whole walk to the done screen; the taps the page measured. `display`: text_size, furigana to set first."""
    start(page, base)
    set_display(page, display or {})
    for _ in range(60):
        step_id, kind = current_step(page)
        if kind == "done":
            break
        step_id, button = prepare_answer(page, answers)
        tap(page, cdp, button)
        wait_for_step_after(page, step_id)
    page.wait_for_timeout(100)
    return page.evaluate("window.__tapProbe.taps")


def set_display(page, display: dict) -> None:
    """Press the kiosk's own text size and furigana buttons, as a person would before the first answer.

    kiosk.js changes the page in place and posts the setting to the server (it lasts the kiosk session): each press
    waits for that post's reply, so the walk's pages keep the setting.
    """
    size = display.get("text_size")
    button = page.locator(f".display-form button.size-{size}") if size else None
    if button is not None and button.get_attribute("aria-pressed") != "true":
        with page.expect_response(lambda response: response.url.endswith("/kiosk/display")):
            button.click()
    toggle = page.locator(".display-form .furigana-toggle")
    furigana = display.get("furigana")
    if furigana and toggle.count() and (toggle.get_attribute("aria-pressed") == "true") != (furigana == "on"):
        with page.expect_response(lambda response: response.url.endswith("/kiosk/display")):
            toggle.click()


def tap(page, cdp, button) -> None:
    """A finger on the button, then nothing from the harness until the new question is painted.

    Playwright's own click and waits run its scripts in the page while the tap is being answered (each a
    message to the renderer, 5–30 ms of its main thread at 4×): the tap is sent as raw input through the
    DevTools protocol instead, and the harness waits without asking the page anything until the probe says
    the frame is drawn (a console message) or the page was replaced (a new language reloads it).
    """
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    where = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    done = []
    on_console = lambda message: message.text == "bench-painted" and done.append(True)  # noqa: E731
    on_load = lambda _: done.append(True)  # noqa: E731
    page.on("console", on_console)
    page.on("load", on_load)
    try:
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", **where})
        for kind in ("mousePressed", "mouseReleased"):
            cdp.send("Input.dispatchMouseEvent", {"type": kind, "button": "left", "clickCount": 1, **where})
        for _ in range(600):
            if done:
                break
            page.wait_for_timeout(20)  # a timer in Playwright's driver: nothing is sent to the page
        else:
            raise RuntimeError("the tap was not answered in 12 s")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("load", on_load)


def prepare(url: str) -> None:
    from intake import create_app
    from intake.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()


def report(name: str, taps: list[dict], by_step: bool = False) -> dict[str, float]:
    rows = {
        "tap → painted": [t["total"] for t in taps],
        "  network+server": [t["wire"] for t in taps],
        "  in the browser": [t["total"] - t["wire"] for t in taps],
    }
    print(f"  {name}: {len(taps)} taps")
    if not taps:  # e.g. a compared checkout whose kiosk.js never swapped a question in
        return {"p50": float("nan"), "p95": float("nan")}
    for label, values in rows.items():
        print(
            f"    {label:<16} p50 {percentile(values, 0.5):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
            f"   max {max(values):6.1f} ms"
        )
    for tap in sorted(taps, key=lambda t: -t["total"])[:3]:
        print(f"    slowest: {tap['step']} → {tap['to']}: {tap['total']:.0f} ms (network+server {tap['wire']:.0f} ms)")
    if by_step:
        per_step: dict[str, list[float]] = {}
        for tap in taps:
            per_step.setdefault(f"{tap['step']} → {tap['to']}", []).append(tap["total"])
        print("    each tap's median, slowest first:")
        for label, values in sorted(per_step.items(), key=lambda item: -percentile(item[1], 0.5)):
            print(f"      {percentile(values, 0.5):6.1f} ms  {label}")
    totals = rows["tap → painted"]
    return {"p50": percentile(totals, 0.5), "p95": percentile(totals, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--walks", type=int, default=3)
    parser.add_argument("--throttle", type=float, default=4, help="CPU slowdown (DevTools protocol)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--by-step", action="store_true", help="also each tap's median, slowest first")
    parser.add_argument(
        "--locale",
        help="walk in this language from the welcome screen on (ja, ja@easy, en, vi…); default: start in English and "
        "pick Japanese at the language step (the standard walk)",
    )
    parser.add_argument("--text-size", choices=("standard", "large", "larger"), help="the kiosk's text size button")
    parser.add_argument("--furigana", choices=("on", "off"), help="the kiosk's furigana button (Japanese pages)")
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout (e.g. `git archive main | tar -x -C DIR`, catalogues compiled): walks alternate "
        "between the two, so both meet the same moments of a busy machine",
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    answers = typical_answers() | ({"language": args.locale} if args.locale else {})
    roots = {"this tree": ROOT} | ({f"{args.compare}": args.compare.resolve()} if args.compare else {})
    env = {"YORISOI_WTF_CSRF_ENABLED": "true", "YORISOI_KIOSK_DEFAULT_LOCALE": args.locale or "en"}
    display = {"text_size": args.text_size, "furigana": args.furigana}
    taps: dict[str, list[dict]] = {name: [] for name in roots}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        servers = {}
        for number, (name, root) in enumerate(roots.items()):
            url = f"sqlite:///{folder}/tap{number}.sqlite3"
            prepare(url)
            servers[name] = stack.enter_context(Gunicorn(url, workers=args.workers, env=env, root=root))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for number in range(args.walks + 1):  # the first walk warms the servers and the browser's cache
            for name, server in servers.items():
                context = browser.new_context(viewport={"width": 1080, "height": 1400}, locale="en-GB")
                page = context.new_page()
                page.add_init_script(PROBE)
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
                found = walk(page, server.base, answers, cdp, display)
                if number:
                    taps[name] += found
                context.close()
        browser.close()
    chosen = [f"in {args.locale}" if args.locale else ""] + [
        f"{name.replace('_', ' ')} {value}" for name, value in display.items() if value
    ]
    print(
        f"{args.walks} walks each, CPU slowed {args.throttle:g}×, gunicorn {args.workers} sync workers, SQLite"
        + "".join(f", {part}" for part in chosen if part)
    )
    figures = {name: report(name, found, args.by_step) for name, found in taps.items()}
    if args.compare:
        ours, theirs = figures.values()
        print(
            f"  this tree / {args.compare}: p50 {ours['p50'] / theirs['p50']:.2f}, p95 {ours['p95'] / theirs['p95']:.2f}"
        )
    print(f"  machine load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")


if __name__ == "__main__":
    main()
