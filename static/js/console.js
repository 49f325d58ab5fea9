/* The facilitator's console: drive the session, watch counts live, take notes as you type.
   The next sensible step (the server's `suggested` command) is always the big primary button. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const root = $("console");
  const sessionId = root.dataset.session;
  const base = "/api/sessions/" + sessionId;
  const primary = $("primary");
  let view = null;
  let busy = false;
  let noteDilemma = null;
  let noteTimer = null;
  let noteDirty = false;
  let shownKey = "";

  const socket = W.liveSocket($("conn"), () => {
    const sid = socket.id;
    socket.timeout(6000).emit("watch", { session: sessionId }, (err) => {
      if (sid !== socket.id) return; // the answer (or time-out) of a connection that has been replaced
      if (err) { socket.reconnectNow(); return; }
      refresh();
    });
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
    try { render(await W.api("GET", base)); showError(""); } catch (e) { showError(W.errorText(e)); }
  }

  function showError(text) { const box = $("console-error"); box.textContent = text || ""; box.hidden = !text; }

  function primaryLabel(v) {
    const cmd = v.suggested;
    if (cmd === "next") return v.phase === "lobby" ? t("primary_first") : t("primary_next");
    if (cmd === "reveal") return t("primary_reveal");
    if (cmd === "end") return t("primary_end");
    return W.names("commands")[cmd] || cmd;
  }

  function render(v) {
    if (view && typeof v.version === "number" && v.version < view.version) return;
    view = v;
    root.dataset.phase = v.phase;
    const pill = $("c-phase");
    pill.textContent = W.names("phases")[v.phase] || v.phase;
    pill.className = "pill pill-" + v.phase;

    // The next step, big; the other allowed steps beside it, small.
    primary.hidden = !v.suggested;
    if (v.suggested) {
      primary.dataset.command = v.suggested;
      primary.textContent = primaryLabel(v);
      primary.disabled = busy;
    }
    $("primary-hint").textContent = v.phase === "voting" ? t("hint_voting") : v.phase === "ended" ? t("hint_ended") : "";
    root.querySelectorAll(".secondary [data-command]").forEach((b) => {
      const command = b.dataset.command;
      b.hidden = command === v.suggested;
      b.dataset.allowed = String(v.commands.includes(command));
      b.disabled = busy || !v.commands.includes(command);
      if (b.disabled) disarm(b);
    });

    const d = v.dilemma;
    const key = v.phase + ":" + (d ? d.id : "");
    if (!d) {
      $("d-progress").textContent = "";
      $("d-title").textContent = v.phase === "ended" ? t("ended_title") : t("lobby_title");
      $("d-text").textContent = v.phase === "ended" ? t("ended_text") : t("lobby_text");
      $("d-question").textContent = "";
      $("d-bars").replaceChildren();
      delete $("d-bars").dataset.dilemma;
      $("d-debrief-wrap").hidden = true;
      $("d-live").hidden = true;
      flushNote();
      noteDilemma = null;
      $("note").value = "";
      $("note").disabled = true;
      setNoteStatus("", "");
    } else {
      $("d-progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
      $("d-title").textContent = d.title;
      $("d-text").textContent = d.text;
      $("d-question").textContent = d.question;
      $("d-debrief").replaceChildren(...(v.debrief || []).map((q) => el("li", { text: q })));
      $("d-tip").textContent = v.tip || "";
      $("d-debrief-wrap").hidden = false;
      $("d-live").hidden = v.phase === "revealed";
      if (noteDilemma !== d.id) {
        flushNote();
        noteDilemma = d.id;
        $("note").value = v.note || "";
        setNoteStatus("", "");
      }
      $("note").disabled = false;
    }
    if (key !== shownKey) {
      if (shownKey) W.announce((W.names("phases")[v.phase] || v.phase) + (d ? " – " + d.title : ""));
      shownKey = key;
    }
    renderCounts();
  }

  function renderCounts() {
    if (!view) return;
    W.animateNumber($("c-participants"), view.participants);
    W.animateNumber($("c-answers"), view.results ? view.results.total : 0);
    $("c-answers-of").textContent = view.dilemma ? t("of_n", { n: W.formatNumber(view.participants) }) : "";
    if (view.dilemma) W.renderBars($("d-bars"), view.dilemma, view.results, null);
  }

  async function send(command) {
    if (busy) return; // a double click sends one command
    busy = true;
    if (view) render(view);
    try {
      render(await W.api("POST", base + "/commands", { command }));
      showError("");
    } catch (e) {
      if (e.code !== "invalid_transition") showError(W.errorText(e));
      refresh();
    } finally {
      busy = false;
      if (view) render(view);
    }
  }

  function disarm(b) {
    if (b.dataset.armed !== "true") return;
    b.dataset.armed = "false";
    b.textContent = b.dataset.label;
    clearTimeout(Number(b.dataset.timer));
  }

  primary.addEventListener("click", () => send(primary.dataset.command));
  root.querySelectorAll(".secondary [data-command]").forEach((b) => b.addEventListener("click", () => {
    // Ending the session mid-way asks for a second press; at the end it is the primary button.
    if (b.dataset.confirm && b.dataset.armed !== "true") {
      b.dataset.label = b.textContent;
      b.dataset.armed = "true";
      b.textContent = b.dataset.confirm;
      b.dataset.timer = String(setTimeout(() => disarm(b), 5000));
      return;
    }
    disarm(b);
    send(b.dataset.command);
  }));

  function setNoteStatus(text, state) {
    const node = $("note-status");
    node.textContent = text;
    node.dataset.state = state;
  }

  async function saveNote(dilemmaId, text) {
    setNoteStatus(t("note_saving"), "saving");
    try {
      await W.api("PUT", base + "/notes/" + encodeURIComponent(dilemmaId), { text }, { keepalive: true });
      if (noteDilemma === dilemmaId && !noteDirty) setNoteStatus(t("note_saved"), "saved");
    } catch (e) {
      setNoteStatus(t("note_failed"), "failed");
      // Try again until it is saved, unless newer text for the same dilemma is on its way.
      setTimeout(() => { if (!(noteDilemma === dilemmaId && noteDirty)) saveNote(dilemmaId, text); }, 4000);
    }
  }

  function flushNote() {
    clearTimeout(noteTimer);
    noteTimer = null;
    if (noteDirty && noteDilemma) {
      noteDirty = false;
      saveNote(noteDilemma, $("note").value);
    }
  }

  $("note").addEventListener("input", () => {
    noteDirty = true;
    clearTimeout(noteTimer);
    noteTimer = setTimeout(flushNote, 600);
    setNoteStatus(t("note_typing"), "typing");
  });
  $("note").addEventListener("blur", flushNote);
  window.addEventListener("pagehide", flushNote);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flushNote(); });
})();

// Deleting a session asks for confirmation first (the form posts only after "OK").
(() => {
  const form = document.getElementById("delete-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
