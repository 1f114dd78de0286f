// Thi đua — small behaviours shared by every page. No inline scripts (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Submit a select's form when it changes (e.g. the language switch) where marked.
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
  // Ask before a destructive submit.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
