/* Yorisoi kiosk: progressive enhancement of the server-rendered kiosk pages. No framework, no build step.
 *
 * With JavaScript on, the page's own form is posted in the background and the page the server answers
 * with (the next question, or this one with its messages) is swapped in, so the page looks and reads
 * the same with or without JavaScript. New chat messages are appended to the role="log" transcript
 * (which never leaves the page, so screen readers announce only what is new) and focus moves to the
 * new question, or to the messages when an answer was refused.
 *
 * The kiosk is shared: after an idle time a warning gives time to continue, then the screen is wiped and
 * the kiosk session ended on the server. Nothing is ever written to localStorage or sessionStorage, and
 * leaving always uses location.replace so Back has nothing to show. All text comes from the page.
 */
(function () {
  "use strict";
  var body = document.body;
  var conf = body.dataset;
  if (!conf.landingUrl) return;
  var main = document.getElementById("main");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var framed = window.self !== window.top;
  var busy = false;
  var leaving = false;

  if (framed) body.classList.add("embedded");

  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  function request(url, options) {
    options.credentials = "same-origin";
    options.cache = "no-store";
    options.headers = Object.assign({ "X-CSRFToken": csrf }, options.headers || {});
    return fetch(url, options);
  }

  function postForm(url, formData, extra) {
    return request(url, Object.assign({ method: "POST", body: formData }, extra || {}));
  }

  // --- Leaving: quick exit, finish, idle reset ----------------------------------------------------

  function leave(endUrl, destination, quickExit) {
    if (leaving) return;
    leaving = true;
    stopSpeaking();
    // Wipe first: whatever happens next, the answers are gone from the screen at once.
    body.replaceChildren();
    document.title = "";
    var data = new FormData();
    data.append("csrf_token", csrf);
    var done = false;
    var go = function () {
      if (!done) location.replace(destination);
      done = true;
    };
    // If the server cannot be reached in time, post the plain form: the page after it is only shown once
    // the session has ended, so a slow network can never bring the answers back.
    var fallback = function () {
      if (done) return;
      done = true;
      var form = document.createElement("form");
      form.method = "post";
      form.action = endUrl;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrf_token";
      token.value = csrf;
      form.appendChild(token);
      body.appendChild(form);
      form.submit();
    };
    postForm(endUrl, data, { keepalive: true, redirect: "manual" }).then(function (response) {
      if (response.type === "opaqueredirect" || response.ok) go();
      else fallback();
    }, fallback);
    setTimeout(fallback, 3000);
    // Embedded: the host page removes the panel at once (the request above is keepalive, so it still ends the session).
    if (framed && quickExit) window.parent.postMessage({ yorisoi: "exit" }, "*");
  }

  // A page restored from the back-forward cache may be stale: let the server decide what to show.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      body.replaceChildren();
      location.replace(location.href);
    }
  });

  // --- Answering: the page's own forms, posted in the background ---------------------------------

  function send(form, submitter) {
    busy = true;
    form.setAttribute("aria-busy", "true");
    stopSpeaking();
    // The server answers as it does without JavaScript: a redirect to the next question, or this
    // question again with its messages (422). Either way the page it ends on is swapped in.
    // getAttribute: the buttons named "action" shadow form.action.
    // The answer form gets the next question in its reply (X-Kiosk-Swap), without a redirect to follow, and
    // every reply holds only what changes in #main: the transcript's bubbles the page already shows (their
    // keys go with the request) are left out (templates/kiosk/fragment.html).
    var url = form.getAttribute("action");
    var headers = { Accept: "text/html", "X-Kiosk-Swap": "next", "X-Kiosk-Transcript": heldKeys() };
    request(url, { method: "POST", body: new FormData(form, submitter), headers: headers })
      .then(function (response) {
        var landed = new URL(response.url, location.href).pathname;
        if (landed !== new URL(conf.stepUrl, location.href).pathname) {
          location.replace(response.url); // no intake on this screen any more
          return;
        }
        if (!response.ok && response.status !== 422) throw new Error(String(response.status));
        return response.text().then(function (html) {
          swap(response.headers.get("X-Kiosk-Swap") === "fragment" ? fragmentReply(html) : pageReply(html));
        });
      })
      .catch(function () {
        nativeSubmit(form, submitter);
      })
      .finally(function () {
        busy = false;
        form.removeAttribute("aria-busy");
      });
  }

  // The keys of the transcript's bubbles on screen, in order ("-" for one without a key).
  function heldKeys() {
    return Array.from(main.querySelectorAll("[role=log] li"))
      .map(function (item) {
        return item.dataset.key || "-";
      })
      .join(" ");
  }

  // A reply is what #main shows, its language and title, and how many of the page's bubbles to keep
  // (null: compare them with the reply's whole transcript).
  function fragmentReply(html) {
    var template = document.createElement("template");
    template.innerHTML = html; // parsed inert: nothing runs or loads until it is in the page
    var fresh = template.content.firstElementChild;
    return { main: fresh, locale: fresh.dataset.locale, title: fresh.dataset.title, keep: Number(fresh.dataset.keep) };
  }

  function pageReply(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return { main: doc.getElementById("main"), locale: doc.documentElement.dataset.locale, title: doc.title, keep: null };
  }

  // If anything goes wrong, the plain form still works: submit it the no-JavaScript way.
  function nativeSubmit(form, submitter) {
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function swap(reply) {
    // A new language changes the whole page, header included (its language menu, furigana on or off): load it
    // whole. The locale, not the lang attribute: Easy Japanese is lang="ja" like Japanese.
    if (reply.locale !== document.documentElement.dataset.locale) return location.replace(conf.stepUrl);
    var fresh = reply.main;
    var log = $("[role=log]", main);
    var freshLog = $("[role=log]", fresh);
    var held = log ? $("ol", log).children.length : 0;
    // The page changed since the request said what it shows (it should not): the whole page shows it right.
    if (reply.keep !== null && (reply.keep > held || (reply.keep > 0 && !freshLog))) return location.replace(conf.stepUrl);
    document.title = reply.title;
    // The tapped button goes with the old question: take focus off it first. Removing the focused element made
    // Chromium lay out the old page once more before the new one (3–18 ms a tap at 4×, bench/tap_trace.py).
    var question = $(".question", main);
    if (question && question.contains(document.activeElement)) document.activeElement.blur();
    if (log && freshLog) {
      // Keep the live region in the page and replace what is around it.
      place(fresh, log, freshLog);
      grow(log, freshLog, reply.keep);
    } else {
      place(fresh, null, null);
    }
    var summary = $(".error-summary", main);
    var title = document.getElementById("question-title");
    if (summary) {
      summary.focus();
    } else if (title) {
      title.setAttribute("tabindex", "-1");
      title.focus({ preventScroll: true });
      // The new question at the top of the screen (its buttons stick to the bottom, see yorisoi.css),
      // so a portrait kiosk shows the question and the way on without scrolling.
      ($(".question", main) || title).scrollIntoView({ block: "start" });
    }
    offerSpeech();
  }

  // #main's children become the reply's, in its order. What is already there as the reply has it (the section's
  // progress line, "Continue later") stays as it is, so only what changed is removed, styled and laid out again.
  // The live region stays in the page: what is before it and what is after it are placed on each side.
  function place(fresh, log, freshLog) {
    var wanted = Array.from(fresh.childNodes);
    var shown = Array.from(main.childNodes);
    if (!log) return keepEqual(wanted, shown, null);
    var split = wanted.indexOf(freshLog);
    var at = shown.indexOf(log);
    keepEqual(wanted.slice(0, split), shown.slice(0, at), log);
    keepEqual(wanted.slice(split + 1), shown.slice(at + 1), null);
  }

  // Make the `shown` nodes (children of #main, just before `end`, or at the end for null) the `wanted` ones, keeping
  // those equal to one in order. What goes is removed before anything is added, so removing the focused button
  // does not lay out the new question twice. A message (an element with a role: a notice, the error summary) is
  // always new, so a screen reader hears it again.
  function keepEqual(wanted, shown, end) {
    var kept = [];
    var from = 0;
    shown.forEach(function (node) {
      for (var index = from; index < wanted.length; index++) {
        if (!(node.getAttribute && node.getAttribute("role")) && node.isEqualNode(wanted[index])) {
          kept[index] = node;
          from = index + 1;
          return;
        }
      }
      main.removeChild(node);
    });
    var next = kept.filter(Boolean);
    wanted.forEach(function (node, index) {
      if (kept[index]) next.shift();
      else main.insertBefore(node, next[0] || end);
    });
  }

  // Keep what both transcripts share, remove what Back or Change took away, append what is new:
  // removals are not announced, so a screen reader hears only the new messages. `keep`: how many of the
  // page's bubbles the server found unchanged (the reply holds only the ones after them); null: a whole
  // page, whose bubbles are compared here.
  function grow(log, freshLog, keep) {
    var list = $("ol", log);
    var have = Array.from(list.children);
    var want = Array.from($("ol", freshLog).children);
    var same = keep === null ? 0 : keep;
    if (keep === null) {
      while (same < have.length && same < want.length && have[same].textContent === want[same].textContent) same++;
      want = want.slice(same);
    }
    have.slice(same).forEach(function (item) {
      item.remove();
    });
    want.forEach(function (item) {
      list.appendChild(item);
    });
  }

  // --- Display settings: text size and furigana ---------------------------------------------------

  // The sticky header grows with text size and furigana: scroll padding as tall as it keeps the question the swap
  // scrolls to below it. Measured on load, display changes and resizes; an answer never changes the header.
  function keepBelowHeader() {
    var header = $(".kiosk-header");
    var root = document.documentElement;
    var padding = header && getComputedStyle(header).position === "sticky" ? header.offsetHeight + 16 + "px" : "";
    if (root.style.scrollPaddingTop !== padding) root.style.scrollPaddingTop = padding;
  }

  keepBelowHeader();
  window.addEventListener("resize", keepBelowHeader);

  function display(form, submitter) {
    var data = new FormData(form, submitter);
    if (submitter.name === "text_size") {
      Array.from(form.querySelectorAll("[name=text_size]")).forEach(function (button) {
        body.classList.toggle("text-" + button.value, button === submitter);
        button.setAttribute("aria-pressed", String(button === submitter));
      });
    } else if (submitter.name === "furigana") {
      var on = submitter.value === "on";
      body.classList.toggle("no-furigana", !on);
      submitter.setAttribute("aria-pressed", String(on));
      submitter.value = on ? "off" : "on";
    }
    keepBelowHeader();
    // Remember it for the rest of this kiosk session (on the server, never in browser storage).
    postForm(form.action, data, { redirect: "manual" });
  }

  // --- Read aloud -----------------------------------------------------------------------------------

  var synth = window.speechSynthesis;
  var speakButton = $(".read-aloud");
  var lang = (document.documentElement.lang || "").toLowerCase().split(/[-_@]/)[0];

  function voice() {
    return (synth ? synth.getVoices() : []).filter(function (v) {
      return v.lang.toLowerCase().split(/[-_@]/)[0] === lang;
    })[0];
  }

  function offerSpeech() {
    if (speakButton) speakButton.hidden = !$(".question") || !voice();
  }

  function stopSpeaking() {
    if (synth) synth.cancel();
  }

  // What to say: the question as shown, with kana readings instead of kanji where ruby gives them.
  function spokenText() {
    var copy = $(".question").cloneNode(true);
    Array.from(copy.querySelectorAll("ruby")).forEach(function (ruby) {
      var readings = Array.from(ruby.querySelectorAll("rt"))
        .map(function (rt) {
          return rt.textContent;
        })
        .join("");
      if (readings) ruby.replaceWith(readings);
    });
    Array.from(copy.querySelectorAll("[hidden], template, input, select, textarea, .visually-hidden")).forEach(
      function (node) {
        node.remove();
      }
    );
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  if (speakButton && synth) {
    offerSpeech();
    synth.addEventListener("voiceschanged", offerSpeech);
    speakButton.addEventListener("click", function () {
      var chosen = voice();
      var speaking = synth.speaking;
      stopSpeaking();
      if (!chosen || speaking) return; // a second press stops it
      var utterance = new SpeechSynthesisUtterance(spokenText());
      utterance.voice = chosen;
      utterance.lang = chosen.lang;
      synth.speak(utterance);
    });
  }

  // --- Forms ----------------------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var has = function (name) {
      return form.classList.contains(name);
    };
    if (has("end-form")) {
      event.preventDefault();
      leave(form.action, has("quick-exit") ? conf.exitUrl : conf.landingUrl, has("quick-exit"));
      return;
    }
    if (has("display-form") && submitter) {
      event.preventDefault();
      display(form, submitter);
      return;
    }
    if (!$(".question") || !(has("step-form") || has("back-form") || has("change-form"))) return;
    event.preventDefault();
    if (!busy) send(form, submitter);
  });

  // --- Idle: warn, then reset -------------------------------------------------------------------------

  var dialog = document.getElementById("idle-dialog");
  var idleMs = Number(framed ? conf.embedIdle : conf.idle) * 1000;
  var warningMs = Number(conf.idleWarning) * 1000;
  var idleTimer = 0;
  var countdown = 0;
  var codeSeen = conf.codeKnown === "yes";
  var SIZE_FACTOR = { standard: 1, large: 1.25, larger: 1.5 };

  // Time to read what is on screen, for a slow reader: Japanese and Chinese characters at 4 a second,
  // other letters at 12 (about 120 words a minute), longer with larger text or furigana. Counted anew
  // when the idle time is up, so a long question (the consent notice) gets more time than a short one.
  function readingMs() {
    var question = $(".question") || main;
    var text = question ? question.textContent.replace(/\s+/g, "") : "";
    var dense = (text.match(/[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/g) || []).length;
    var seconds = dense / 4 + (text.length - dense) / 12;
    // The body's classes, not the page's first settings: the display buttons change them in place.
    var size = Object.keys(SIZE_FACTOR).filter(function (name) {
      return body.classList.contains("text-" + name);
    })[0];
    seconds *= SIZE_FACTOR[size] || 1;
    if (question && $("ruby", question) && !body.classList.contains("no-furigana")) seconds *= 1.25;
    return seconds * 1000 * (Number(conf.reading) || 0);
  }

  var lastActivity = Date.now();

  function arm() {
    lastActivity = Date.now();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(warn, idleMs);
  }

  function warn() {
    // The reading time is that of the screen shown now (a new question may have been swapped in).
    var wait = lastActivity + idleMs + readingMs() - Date.now();
    if (wait > 0) {
      idleTimer = setTimeout(warn, wait);
      return;
    }
    var deadline = Date.now() + warningMs;
    // "Your answers are saved" only to someone who has the code to come back with.
    $("#idle-text", dialog).hidden = !codeSeen;
    $("#idle-text-no-code", dialog).hidden = codeSeen;
    dialog.setAttribute("aria-describedby", codeSeen ? "idle-text" : "idle-text-no-code");
    var seconds = $(".idle-seconds", dialog);
    var tick = function () {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      seconds.textContent = String(left);
      if (left === 0) {
        clearInterval(countdown);
        leave(conf.resetUrl, conf.landingUrl);
      }
    };
    tick();
    dialog.showModal();
    countdown = setInterval(tick, 250);
  }

  function stayHere() {
    clearInterval(countdown);
    if (dialog.open) dialog.close();
    arm();
  }

  // Only screens that hold something of the recipient's are reset.
  if (dialog && idleMs > 0 && ($(".question") || $(".resume"))) {
    // Opening "Continue later" shows the receipt code: from then on, the person has a way back.
    document.addEventListener(
      "toggle",
      function (event) {
        if (event.target.classList && event.target.classList.contains("continue-later") && event.target.open) {
          codeSeen = true;
        }
      },
      true
    );
    // Scrolling through a long text is reading, not being away.
    ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"].forEach(function (name) {
      document.addEventListener(
        name,
        function () {
          if (!dialog.open) arm();
        },
        { capture: true, passive: true }
      );
    });
    $(".idle-continue", dialog).addEventListener("click", stayHere);
    $(".idle-clear", dialog).addEventListener("click", function () {
      leave(conf.resetUrl, conf.landingUrl);
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault(); // Escape means "I am still here"
      stayHere();
    });
    arm();
  }

  // Pressing Shift three times quickly is the keyboard shortcut for "Exit this page".
  var shifts = [];
  // A pre-filled action text shows its furigana under the field; once the person edits it, they no longer match.
  document.addEventListener("input", function (event) {
    var reading = event.target.id && $('.prefill-reading[data-for="' + event.target.id + '"]');
    if (reading) reading.hidden = true;
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) return;
    var now = Date.now();
    shifts = shifts
      .filter(function (t) {
        return now - t < 1000;
      })
      .concat(now);
    var exit = $(".quick-exit");
    if (shifts.length >= 3 && exit) leave(exit.action, conf.exitUrl, true);
  });
})();
