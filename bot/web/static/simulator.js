// The demo's phone simulator: plain DOM code, no framework, nothing from a CDN.
"use strict";

const select = document.getElementById("borrower");
const thread = document.getElementById("thread");
const account = document.getElementById("account");
const form = document.getElementById("compose");
const input = document.getElementById("text");
let borrowers = [];

function money(cents) {
  return (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });
}

function linkify(li, text) {
  // Show links the bot sends as clickable, without injecting HTML.
  const parts = text.split(/(https?:\/\/\S+)/);
  for (const part of parts) {
    if (/^https?:\/\//.test(part)) {
      const a = document.createElement("a");
      a.href = part; a.textContent = part; a.target = "_blank"; a.rel = "noopener";
      li.appendChild(a);
    } else {
      li.appendChild(document.createTextNode(part));
    }
  }
}

async function loadBorrowers() {
  const response = await fetch("/simulator/borrowers");
  borrowers = (await response.json()).borrowers;
  select.replaceChildren(...borrowers.map((b) => {
    const option = document.createElement("option");
    option.value = b.id;
    option.textContent = `${b.name} (${b.phone})`;
    return option;
  }));
  showAccount();
  await refresh();
}

function showAccount() {
  const b = borrowers.find((x) => String(x.id) === select.value);
  account.textContent = b && b.reference
    ? `${b.reference}: balance ${money(b.balance_cents)}, card ${b.card}, language ${b.language}`
    : "";
}

async function refresh() {
  const response = await fetch(`/simulator/messages?borrower_id=${select.value}`);
  const { messages } = await response.json();
  thread.replaceChildren(...messages.map((m) => {
    const li = document.createElement("li");
    li.className = `${m.direction} ${m.kind}`;
    li.dataset.author = m.author;
    linkify(li, m.body);
    return li;
  }));
  thread.scrollTop = thread.scrollHeight;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  input.disabled = true;
  try {
    await fetch("/simulator/send", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ borrower_id: Number(select.value), text }),
    });
    await loadBorrowersKeepingSelection();
  } finally {
    input.disabled = false;
    input.focus();
  }
});

async function loadBorrowersKeepingSelection() {
  const chosen = select.value;
  const response = await fetch("/simulator/borrowers");
  borrowers = (await response.json()).borrowers;
  select.value = chosen;
  showAccount();
  await refresh();
}

select.addEventListener("change", () => { showAccount(); refresh(); });
// Texts the bot sends on its own (receipts after a bank approval) arrive later.
setInterval(() => { if (document.visibilityState === "visible") refresh(); }, 3000);
loadBorrowers();
