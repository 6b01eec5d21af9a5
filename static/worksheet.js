// The caseworker's worksheet: say when something typed is not saved yet, and warn before leaving the page then.
// A file, not inline (the CSP allows no inline script); without JavaScript the page says where Save is instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-unsaved-warning]");
  if (!form) return;
  var note = form.querySelector("[data-unsaved-note]");
  // A refused save comes back with what was typed: it is not saved, so the page starts unsaved.
  var saved = form.hasAttribute("data-refused") ? null : new URLSearchParams(new FormData(form)).toString();
  var leaving = false;
  function dirty() {
    return new URLSearchParams(new FormData(form)).toString() !== saved;
  }
  function show() {
    if (note) note.hidden = !dirty();
  }
  show();
  form.addEventListener("input", show);
  form.addEventListener("change", show);
  form.addEventListener("submit", function () { leaving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !dirty()) return undefined;
    event.preventDefault();
    event.returnValue = "";
    return "";
  });
})();
