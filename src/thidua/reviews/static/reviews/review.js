// Chấm chéo — autosave helpers of the review page (strict CSP: no inline scripts). No scoring
// here: the reviewer's points and totals come from the server (the engine) after each save.
(function () {
  "use strict";
  const sheet = document.getElementById("review-sheet");
  if (!sheet) return;
  const FORM = "form[data-review-form]";
  const IDLE_MS = 1500;
  let inFlight = 0;
  const dirty = new Set();
  const formOf = (el) => (el && el.closest ? el.closest(FORM) : null);

  // A refused save (409 stale, 422 refused value, 403) carries its message: swap it in.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if ((status === 409 || status === 422 || status === 403) && formOf(event.detail.elt)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // "Sửa" enables the value field; "Xác nhận" dims it (the server clears it).
  const syncMode = (form) => {
    const mode = form.querySelector("select.review-mode");
    const wrap = form.querySelector(".review-value");
    if (mode && wrap) wrap.classList.toggle("review-value-idle", mode.value !== "correct");
  };
  sheet.querySelectorAll(FORM).forEach(syncMode);

  sheet.addEventListener("input", (event) => {
    const form = formOf(event.target);
    if (!form) return;
    dirty.add(form);
    if (event.target.tagName === "TEXTAREA") {
      const field = event.target;
      clearTimeout(field.thiduaIdle);
      field.thiduaIdle = setTimeout(() => field.dispatchEvent(new Event("change", { bubbles: true })), IDLE_MS);
    }
  });
  sheet.addEventListener("change", (event) => {
    const form = formOf(event.target);
    if (form && event.target.classList.contains("review-mode")) syncMode(form);
  });
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (formOf(event.detail.elt) === event.detail.elt) inFlight += 1;
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = formOf(event.detail.elt);
    if (!form || form !== event.detail.elt) return;
    inFlight = Math.max(0, inFlight - 1);
    const ok = event.detail.xhr && event.detail.xhr.status === 200;
    form.classList.toggle("has-error", !ok);
    if (ok) dirty.delete(form);
  });
  window.addEventListener("beforeunload", (event) => {
    if (inFlight > 0 || dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
