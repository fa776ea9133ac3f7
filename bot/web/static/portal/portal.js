// textpay portal: live updates (Server-Sent Events), the SMS segment counter and quick replies.
// Plain JavaScript, no libraries. Every page works without it; this only makes pages live.
"use strict";

(function () {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  }
  window.textpay = { postJson };

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  // ---- live regions: [data-live-refresh] is re-fetched when one of its [data-live-on] events comes
  async function refresh(region) {
    const response = await fetch(region.dataset.liveRefresh, { credentials: "same-origin" });
    if (!response.ok) return;
    const html = await response.text();
    // A region staff may be filling in (reply box, hand-back form) keeps what they typed
    // and chose across a refresh: an event arriving mid-form must not wipe it.
    const kept = {};
    if (region.dataset.keepTyping) {
      region.querySelectorAll("textarea[id], input[id], select[id]").forEach((field) => {
        if (field.type === "hidden") return; // tokens come fresh from the server
        kept[field.id] = field.type === "radio" || field.type === "checkbox" ? field.checked : field.value;
      });
    }
    const focused = document.activeElement && region.contains(document.activeElement)
      ? document.activeElement.id : null;
    region.innerHTML = html;
    Object.entries(kept).forEach(([id, value]) => {
      const field = document.getElementById(id);
      if (!field) return;
      if (field.type === "radio" || field.type === "checkbox") field.checked = value;
      else if (value) field.value = value;
    });
    if (focused) document.getElementById(focused)?.focus();
    region.querySelectorAll("[data-segment-counter]").forEach(updateCounter);
    region.querySelectorAll(".transcript").forEach(scrollToNewest);
    region.dispatchEvent(new CustomEvent("textpay:refreshed", { bubbles: true }));
  }

  function regionsFor(kind, data) {
    return [...document.querySelectorAll("[data-live-refresh]")].filter((region) => {
      const kinds = (region.dataset.liveOn || "").split(" ");
      if (!kinds.includes(kind)) return false;
      const borrower = region.dataset.borrowerId;
      return !borrower || !data || String(data.borrower_id) === borrower;
    });
  }

  function startLive() {
    const url = document.body.dataset.eventsUrl;
    const status = document.getElementById("live-status");
    if (!url || !window.EventSource) return;
    // The stream may come from the event server on another port: send the session cookie.
    const source = new EventSource(url, { withCredentials: true });
    const show = (state) => {
      document.body.dataset.live = state;
      if (status) { status.dataset.state = state; status.textContent = state === "connected" ? "live" : "offline"; }
    };
    source.addEventListener("open", () => {
      show("connected");
      // Anything that happened while we were not listening: fetch it now.
      document.querySelectorAll("[data-live-refresh]").forEach(refresh);
    });
    source.addEventListener("error", () => show("offline"));
    ["escalation", "message"].forEach((kind) => {
      source.addEventListener(kind, (event) => {
        const data = JSON.parse(event.data || "{}");
        regionsFor(kind, data).forEach(refresh);
      });
    });
  }

  // The newest text is at the bottom of a transcript: show it.
  function scrollToNewest(list) { list.scrollTop = list.scrollHeight; }

  // ---- the segment counter under a reply box
  async function updateCounter(box) {
    const target = document.getElementById(box.dataset.segmentCounter);
    if (!target) return;
    const counterUrl = box.form?.dataset.segmentsUrl || "/portal/segments";
    const response = await postJson(counterUrl, { text: box.value });
    if (!response.ok) return;
    const info = await response.json();
    const chars = [...box.value].length;
    target.textContent = `${chars} characters · ${info.segments} segment${info.segments === 1 ? "" : "s"} · ${info.encoding}`;
  }
  const debouncedCounter = debounce(updateCounter, 150);

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("[data-segment-counter]")) {
      debouncedCounter(event.target);
    }
  });

  // ---- the hand-back form shows the details of the chosen agreement only
  function showAgreementDetails(root) {
    root.querySelectorAll("form#handback-form").forEach((form) => {
      const chosen = form.querySelector('input[name="agreement"]:checked')?.value || "none";
      form.querySelectorAll(".agreement-details").forEach((box) => {
        box.hidden = box.dataset.agreement !== chosen;
      });
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target.name === "agreement") showAgreementDetails(document);
  });
  document.addEventListener("textpay:refreshed", (event) => showAgreementDetails(event.target));

  // ---- quick replies fill the reply box (staff can still edit before sending)
  document.addEventListener("click", (event) => {
    const chip = event.target.closest && event.target.closest("[data-quick-reply]");
    if (!chip) return;
    const box = document.getElementById("reply-text");
    if (!box) return;
    box.value = box.value.trim() ? `${box.value.trim()} ${chip.dataset.quickReply}` : chip.dataset.quickReply;
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-segment-counter]").forEach(updateCounter);
    document.querySelectorAll(".transcript").forEach(scrollToNewest);
    showAgreementDetails(document);
    startLive();
  });
})();
