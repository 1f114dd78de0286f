// Thi đua — evidence (minh chứng) uploads: refuse an oversized file before sending it, and
// show the upload's progress. The server checks everything again; this only saves waiting.
// Listeners are on the document, so forms swapped in by htmx work too. No inline scripts (CSP).
(() => {
  if (window.thiduaEvidence) return;
  window.thiduaEvidence = true;

  const formatMB = (bytes) => (bytes / 1048576).toFixed(1).replace(".", ",") + "\u00a0MB";

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    const form = input.closest("form.evidence-upload");
    if (!form) return;
    const limit = Number(form.dataset.maxBytes || 0);
    const file = input.files && input.files[0];
    input.setCustomValidity("");
    if (file && limit && file.size > limit) {
      input.setCustomValidity(
        (form.dataset.tooLarge || "").replace("{name}", file.name).replace("{size}", formatMB(file.size)),
      );
      input.reportValidity();
    }
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target instanceof Element ? event.target.closest("form.evidence-upload") : null;
    const bar = form && form.querySelector("progress.evidence-progress");
    if (bar && event.detail.lengthComputable) {
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
})();
