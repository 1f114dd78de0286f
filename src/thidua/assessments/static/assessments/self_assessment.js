// Tự chấm điểm — autosave helpers of the self-assessment page. No scoring here: every point,
// subtotal and total comes from the server after each save (strict CSP: no inline scripts).
(function () {
  "use strict";
  const sheet = document.getElementById("sheet");
  if (!sheet) return;
  const FORM = "form[data-entry-form]";
  const IDLE_MS = 1500; // save an explanation after this much quiet typing
  const dirty = new Set();
  let inFlight = 0;

  const entryForm = (element) => (element && element.closest ? element.closest(FORM) : null);

  // A refused save (409: someone saved in between; 422: a value the rule refuses; 403) comes
  // with the message to show: let htmx swap it like a success.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if ((status === 409 || status === 422 || status === 403) && entryForm(event.detail.elt)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  sheet.addEventListener("input", (event) => {
    const form = entryForm(event.target);
    if (!form) return;
    form.dataset.generation = String(Number(form.dataset.generation || 0) + 1);
    dirty.add(form);
    form.classList.add("is-dirty");
    if (event.target.tagName === "TEXTAREA") {
      const field = event.target;
      clearTimeout(field.thiduaIdle);
      field.thiduaIdle = setTimeout(() => field.dispatchEvent(new Event("change", { bubbles: true })), IDLE_MS);
    }
  });

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = entryForm(event.detail.elt);
    if (!form || event.detail.elt !== form) return;
    inFlight += 1;
    form.dataset.sentGeneration = form.dataset.generation || "0";
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const elt = event.detail.elt;
    if (elt && elt.closest && elt.closest(".evidence") && event.detail.successful) {
      // Evidence changed: the totals panel recounts what is missing.
      document.body.dispatchEvent(new CustomEvent("evidenceChanged"));
      return;
    }
    const form = entryForm(elt);
    if (!form || elt !== form) return;
    inFlight = Math.max(0, inFlight - 1);
    const ok = event.detail.xhr && event.detail.xhr.status === 200;
    form.classList.toggle("has-error", !ok);
    if (ok && form.dataset.generation === form.dataset.sentGeneration) {
      dirty.delete(form);
      form.classList.remove("is-dirty");
    }
  });

  // Leaving with a save in flight or a value not yet saved: ask first.
  window.addEventListener("beforeunload", (event) => {
    if (inFlight > 0 || dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
