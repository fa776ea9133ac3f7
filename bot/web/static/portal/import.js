// CSV import with a progress bar: reads the server's NDJSON progress lines as they come.
"use strict";

(function () {
  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("import-form");
    if (!form || !window.fetch || !window.TextDecoder) return;
    const box = document.getElementById("import-progress");
    const bar = document.getElementById("progress-bar");
    const status = document.getElementById("progress-text");
    const report = document.getElementById("import-report");
    const counts = document.getElementById("report-counts");
    const table = document.getElementById("report-errors");

    function showReport(result) {
      report.hidden = false;
      counts.textContent = `${result.created} created, ${result.updated} updated, ` +
        `${result.unchanged} unchanged, ${result.errors.length} rows with errors.`;
      const body = table.querySelector("tbody");
      body.replaceChildren(...result.errors.map((e) => {
        const row = document.createElement("tr");
        [e.line, e.reason].forEach((value) => {
          const cell = document.createElement("td");
          cell.textContent = value;
          row.appendChild(cell);
        });
        return row;
      }));
      table.hidden = result.errors.length === 0;
    }

    function handle(line) {
      if (line.total) {
        bar.max = line.total;
        bar.value = line.done;
        status.textContent = `${line.done} of ${line.total} rows`;
      } else if (line.report) {
        bar.value = bar.max;
        status.textContent = "Done.";
        showReport(line.report);
      } else if (line.error) {
        status.textContent = line.error;
        status.classList.add("field-error");
      }
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      box.hidden = false;
      status.classList.remove("field-error");
      status.textContent = "Uploading…";
      const response = await fetch(form.action || window.location.href, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { Accept: "application/x-ndjson" },
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const text = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (text) handle(JSON.parse(text));
        }
      }
    });
  });
})();
