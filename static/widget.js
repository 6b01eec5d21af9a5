/* Yorisoi widget: one tag adds the intake to an office web page.
 *
 *   <script src="https://yorisoi.example/static/widget.js" defer
 *           data-label="Prepare your self-reliance plan" data-close-label="Close"
 *           data-title="Self-reliance plan assistant" data-lang="en" data-exit-url="https://example.org/"></script>
 *
 * It adds a launcher button and, on click, an iframe panel with the kiosk pages. The kiosk server lists
 * the page's origin in EMBED_ORIGINS (CSP frame-ancestors). "Exit this page" inside the panel closes it
 * and, with data-exit-url, leaves the host page too. No cookies or storage of its own; no other requests.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.querySelector(".yorisoi-launcher")) return;
  var base = new URL(script.src, location.href);
  var options = script.dataset;
  var kiosk = new URL(options.kioskPath || "/kiosk/", base);
  if (options.lang) kiosk.searchParams.set("lang", options.lang);

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("widget.css", base).href;
  document.head.appendChild(style);

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "yorisoi-launcher";
  launcher.textContent = options.label || "Prepare your self-reliance plan";
  launcher.setAttribute("aria-expanded", "false");

  var panel = document.createElement("div");
  panel.className = "yorisoi-panel";
  panel.id = "yorisoi-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", options.title || launcher.textContent);
  launcher.setAttribute("aria-controls", panel.id);

  var close = document.createElement("button");
  close.type = "button";
  close.className = "yorisoi-close";
  close.textContent = options.closeLabel || "Close";

  var frame = null;

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.className = "yorisoi-frame";
      frame.title = options.title || launcher.textContent;
      frame.src = kiosk.href;
      panel.appendChild(frame);
    }
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  function hide() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open();
    else hide();
  });
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });

  // "Exit this page" in the panel: remove it at once, and leave the host page if it says where to.
  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== base.origin) return;
    if (!event.data || event.data.yorisoi !== "exit") return;
    frame.remove();
    frame = null;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    if (options.exitUrl) location.replace(options.exitUrl);
  });

  panel.appendChild(close);
  document.body.appendChild(panel);
  document.body.appendChild(launcher);
})();
