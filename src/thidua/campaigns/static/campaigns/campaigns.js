// Thi đua — campaign pages. No inline scripts (strict CSP).
// A form marked data-unsaved-warning asks before the page is left with unsaved changes, so
// that an officer does not lose what they typed by following a link by mistake.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-unsaved-warning]").forEach((form) => {
    let dirty = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = form.dataset.unsavedWarning;
    });
  });
});
