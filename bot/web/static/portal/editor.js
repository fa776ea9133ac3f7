// Template editor: live preview, segment/encoding counter, warnings and errors as you type.
"use strict";

(function () {
  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("template-form");
    if (!form) return;
    const body = document.getElementById("template-body");
    const account = document.getElementById("preview-account");
    const error = document.getElementById("template-error");
    const errorMessage = document.getElementById("template-error-message");
    const errorLine = document.getElementById("template-error-line");
    const text = document.getElementById("preview-text");
    const counter = document.getElementById("template-counter");
    const segments = document.getElementById("preview-segments");
    const encoding = document.getElementById("preview-encoding");
    const warnings = document.getElementById("preview-warnings");
    let timer = null;
    let sequence = 0;

    async function update() {
      const mine = ++sequence;
      const response = await window.textpay.postJson(form.dataset.previewUrl, {
        body: body.value, language: form.dataset.language, account_id: account.value || null,
      });
      if (mine !== sequence) return; // a newer keystroke already asked again
      const result = await response.json();
      const plural = result.segments === 1 ? "" : "s";
      // While there is an error there is no text yet: the template itself is counted.
      const where = result.counted === "template" ? " in the template" : "";
      counter.textContent = `${result.characters} characters${where} · ` +
        `${result.segments} segment${plural} · ${result.encoding}`;
      segments.textContent = result.segments;
      encoding.textContent = result.encoding;
      warnings.replaceChildren(...(result.warnings || []).map((w) => {
        const item = document.createElement("li");
        item.textContent = w;
        return item;
      }));
      if (result.error) {
        errorMessage.textContent = result.error;
        errorLine.textContent = result.error_line_text || "";
        errorLine.hidden = !result.error_line_text;
        error.hidden = false;
        body.setAttribute("aria-invalid", "true");
        text.textContent = "";
      } else {
        errorMessage.textContent = "";
        errorLine.textContent = "";
        error.hidden = true;
        body.removeAttribute("aria-invalid");
        text.textContent = result.text;
      }
      form.dataset.previewed = String(mine);
    }

    const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 200); };
    body.addEventListener("input", schedule);
    account.addEventListener("change", update);
  });
})();
