// Thi đua — the vote page and the code slips. No inline scripts (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  // The print button of the slips page.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // The QR code opens /conference/vote/#ma=CODE: the fragment never reaches the server (nor its
  // logs); the code goes into the form and the fragment is dropped from the address bar.
  const codeInput = document.querySelector("input[name=code]:not([type=hidden])");
  if (codeInput && window.location.hash.startsWith("#ma=")) {
    codeInput.value = decodeURIComponent(window.location.hash.slice(4));
    window.history.replaceState(null, "", window.location.pathname);
  }
  // At most max_choices boxes can be ticked: the rest are disabled once the limit is reached.
  // The server checks it too; this only spares the voter an error.
  const form = document.querySelector("form[data-max-choices]");
  if (!form) return;
  const max = Number(form.dataset.maxChoices);
  const boxes = Array.from(form.querySelectorAll("input[type=checkbox][name=choices]"));
  const counter = form.querySelector("[data-choice-count]");
  const update = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    boxes.forEach((box) => { box.disabled = !box.checked && ticked >= max; });
    if (counter) counter.textContent = `Đã chọn ${ticked}/${max}`;
  };
  boxes.forEach((box) => box.addEventListener("change", update));
  update();
});
