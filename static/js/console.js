/* The facilitator's console: drive the session, watch counts live, take notes as you type. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const root = $("console");
  const sessionId = root.dataset.session;
  const base = "/api/sessions/" + sessionId;
  const socket = W.newSocket();
  let view = null;
  let busy = false;
  let noteDilemma = null;
  let noteTimer = null;

  W.connectionIndicator(socket, $("conn"));

  socket.on("connect", () => {
    socket.emit("watch", { session: sessionId }, () => refresh());
  });
  socket.on("state", () => refresh());
  socket.on("results", (r) => {
    if (!view || !view.dilemma || r.dilemma !== view.dilemma.id) return;
    view.results = r;
    view.participants = r.participants;
    renderCounts();
  });
  socket.on("presence", (p) => { if (view) { view.participants = p.participants; renderCounts(); } });

  async function refresh() {
    try { render(await W.api("GET", base)); } catch (e) { showError(W.errorText(e)); }
  }

  function showError(text) { const box = $("console-error"); box.textContent = text || ""; box.hidden = !text; }

  function render(v) {
    if (view && v.version < view.version) return;
    view = v;
    $("c-phase").textContent = t("phases")[v.phase] || v.phase;
    root.querySelectorAll("[data-command]").forEach((b) => {
      const allowed = v.commands.includes(b.dataset.command);
      b.disabled = !allowed;
      b.classList.toggle("btn-primary", b.dataset.command === v.suggested);
    });
    const d = v.dilemma;
    if (!d) {
      $("d-progress").textContent = "";
      $("d-title").textContent = v.phase === "ended" ? t("ended_title") : t("lobby_title");
      $("d-text").textContent = v.phase === "ended" ? t("ended_text") : "";
      $("d-question").textContent = "";
      $("d-bars").replaceChildren();
      $("d-debrief-wrap").hidden = true;
      $("note").disabled = true;
    } else {
      $("d-progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count }) + " · " + (t("phases")[v.phase] || "");
      $("d-title").textContent = d.title;
      $("d-text").textContent = d.text;
      $("d-question").textContent = d.question;
      $("d-debrief").replaceChildren(...(v.debrief || []).map((q) => el("li", { text: q })));
      $("d-tip").textContent = v.tip || "";
      $("d-debrief-wrap").hidden = false;
      if (noteDilemma !== d.id) {
        flushNote();
        noteDilemma = d.id;
        $("note").value = v.note || "";
        $("note-status").textContent = "";
      }
      $("note").disabled = false;
    }
    renderCounts();
  }

  function renderCounts() {
    $("c-participants").textContent = view.participants;
    $("c-answers").textContent = view.results ? view.results.total : 0;
    if (view.dilemma) W.renderBars($("d-bars"), view.dilemma, view.results, null);
  }

  root.querySelectorAll("[data-command]").forEach((b) => b.addEventListener("click", async () => {
    if (busy) return; // a double click sends one command
    busy = true;
    root.querySelectorAll("[data-command]").forEach((x) => { x.disabled = true; });
    try {
      render(await W.api("POST", base + "/commands", { command: b.dataset.command }));
      showError("");
    } catch (e) {
      if (e.code !== "invalid_transition") showError(W.errorText(e));
      refresh();
    } finally {
      busy = false;
      if (view) render(view);
    }
  }));

  async function saveNote(dilemmaId, text) {
    $("note-status").textContent = t("note_saving");
    try {
      await W.api("PUT", base + "/notes/" + encodeURIComponent(dilemmaId), { text });
      if (noteDilemma === dilemmaId) $("note-status").textContent = t("note_saved");
    } catch (e) {
      $("note-status").textContent = t("note_failed");
    }
  }

  function flushNote() {
    if (noteTimer && noteDilemma) {
      clearTimeout(noteTimer);
      noteTimer = null;
      saveNote(noteDilemma, $("note").value);
    }
  }

  $("note").addEventListener("input", () => {
    clearTimeout(noteTimer);
    const dilemmaId = noteDilemma;
    noteTimer = setTimeout(() => { noteTimer = null; saveNote(dilemmaId, $("note").value); }, 700);
    $("note-status").textContent = "…";
  });
  window.addEventListener("beforeunload", flushNote);
})();
