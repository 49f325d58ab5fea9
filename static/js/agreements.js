/* The console's agreements register: record, list and delete the session's agreements
   (POST/GET/DELETE /api/sessions/ID/agreements, see docs/protocol.md). Works during and after
   the session. Every text goes in as textContent. */
(function () {
  "use strict";
  const W = window.Workshop;
  const section = document.getElementById("agreements");
  if (!W || !section) return;

  const url = section.dataset.url;
  const form = W.$("agreement-form");
  const list = W.$("agreement-list");
  const empty = W.$("agreement-empty");
  const errorBox = W.$("agreement-error");
  const addButton = W.$("agreement-add");
  const maxValues = Number(section.dataset.maxValues) || 3;
  const checks = Array.from(form.querySelectorAll("input[name=values]"));
  const dilemmaTitles = {};
  Array.from(W.$("agreement-dilemma").options).forEach((o) => { if (o.value) dilemmaTitles[o.value] = o.textContent; });
  const valueLabels = {};
  checks.forEach((c) => { valueLabels[c.value] = c.closest("label").textContent.trim(); });

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  function message(e) {
    // The server words invalid_request precisely (which field, in the user's language).
    return (e && e.code === "invalid_request" && e.message) || W.errorText(e);
  }

  /* At most `maxValues` values: the others are disabled while that many are checked. */
  function limitValues() {
    const full = checks.filter((c) => c.checked).length >= maxValues;
    checks.forEach((c) => { c.disabled = full && !c.checked; });
  }

  function item(a) {
    const meta = [];
    if (a.dilemma) meta.push(dilemmaTitles[a.dilemma] || a.dilemma);
    if (a.values.length) meta.push(a.values.map((v) => valueLabels[v] || v).join(", "));
    if (a.owner) meta.push(section.dataset.owner + ": " + a.owner);
    if (a.due) meta.push(section.dataset.due + ": " + a.due);
    const remove = W.el("button", {
      type: "button", class: "btn btn-quiet a-delete", text: section.dataset.delete,
      "aria-label": section.dataset.deleteLabel + ": " + a.text,
    });
    remove.addEventListener("click", () => removeAgreement(a, remove));
    const node = W.el("li", { class: "agreement-item", "data-id": String(a.id) });
    node.append(W.el("span", { class: "a-text", text: a.text }));
    if (meta.length) node.append(W.el("span", { class: "a-meta", text: meta.join(" · ") }));
    node.append(remove);
    return node;
  }

  function render(agreements) {
    list.replaceChildren(...agreements.map(item));
    empty.hidden = agreements.length > 0;
  }

  async function load() {
    try { render((await W.api("GET", url)).agreements); showError(""); } catch (e) { showError(message(e)); }
  }

  async function removeAgreement(a, button) {
    button.disabled = true;
    try {
      await W.api("DELETE", url + "/" + encodeURIComponent(a.id));
      W.announce(section.dataset.deleted);
      await load();
    } catch (e) {
      button.disabled = false;
      showError(message(e));
    }
  }

  form.addEventListener("change", (event) => { if (event.target.name === "values") limitValues(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      text: (data.get("text") || "").trim(),
      dilemma: data.get("dilemma") || null,
      values: data.getAll("values"),
      owner: (data.get("owner") || "").trim() || null,
      due: data.get("due") || null,
    };
    addButton.disabled = true;
    try {
      await W.api("POST", url, body);
      form.reset();
      limitValues();
      showError("");
      W.toast(section.dataset.saved);
      await load();
      W.$("agreement-text").focus();
    } catch (e) {
      showError(message(e));
    } finally {
      addButton.disabled = false;
    }
  });

  limitValues();
  // With a socket the list loads on `connect`: the first connect and every reconnect (a nudge may
  // have been missed meanwhile). Another console of the session (a co-facilitator) recorded or
  // deleted one: reload. Without a socket, once now.
  if (W.socket) {
    W.socket.on("agreements", load);
    W.socket.on("connect", load);
    if (W.socket.connected) load(); // connected before this script ran: that connect is past
  } else {
    load();
  }
})();
