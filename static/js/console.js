/* The facilitator's console: drive the session, watch counts live, take notes as you type.
   The next sensible step (the server's `suggested` command) is always the big primary button.
   Also here: the round and the divided-room flag, the timer, moderation of reasons and texts,
   the anonymity minimum and the live value profile. Results are drawn per kind by
   console-kinds.js; the add-a-question form is console-add.js. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t, tn } = W;
  const root = $("console");
  const sessionId = root.dataset.session;
  const base = "/api/sessions/" + sessionId;
  const primary = $("primary");
  const KINDS = W.consoleKinds;
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
    // Answers in a round only grow: an older broadcast overtaken by a fresh read is dropped.
    const had = view.results;
    if (had && had.round === r.round && r.round === view.round && r.total < had.total) return;
    view.results = r;
    view.participants = r.participants;
    renderCounts();
    refreshSoon(); // new reasons and texts, the profile and the divided flag come with the full view
  });
  socket.on("presence", (p) => { if (view) { view.participants = p.participants; renderCounts(); } });

  async function refresh() {
    try { render(await W.api("GET", base)); showError(""); } catch (e) { showError(W.errorText(e)); }
  }

  /* At most one full re-read a second while answers stream in, and always one after the last. */
  let lastRead = 0;
  let readTimer = null;
  function refreshSoon() {
    if (readTimer) return;
    const wait = Math.max(0, 1000 - (Date.now() - lastRead));
    readTimer = setTimeout(() => { readTimer = null; lastRead = Date.now(); refresh(); }, wait);
  }

  function showError(text) { const box = $("console-error"); box.textContent = text || ""; box.hidden = !text; }

  function kindOf(d) { return (d && KINDS[d.kind]) || KINDS.choice; }

  function primaryLabel(v) {
    const cmd = v.suggested;
    if (cmd === "next") return v.phase === "lobby" ? t("primary_first") : t("primary_next");
    if (cmd === "reveal") return t("primary_reveal");
    if (cmd === "end") return t("primary_end");
    if (cmd === "revote") return t("primary_revote", { n: v.round + 1 });
    return W.names("commands")[cmd] || cmd;
  }

  function hintFor(v) {
    if (v.suggested === "revote") return t("hint_revote");
    if (v.phase === "voting") return t("hint_voting");
    if (v.phase === "ended") return t("hint_ended");
    return "";
  }

  function render(v) {
    if (view && typeof v.version === "number" && v.version < view.version) return;
    const fresh = v !== view; // a re-render of the same view (busy on/off) keeps the running clock
    view = v;
    root.dataset.phase = v.phase;
    root.dataset.suggested = v.suggested || "";
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
    $("primary-hint").textContent = hintFor(v);
    root.querySelectorAll(".secondary [data-command]").forEach((b) => {
      const command = b.dataset.command;
      b.hidden = command === v.suggested;
      b.dataset.allowed = String(v.commands.includes(command));
      b.disabled = busy || !v.commands.includes(command);
      if (b.disabled) disarm(b);
    });
    $("ended-links").hidden = v.phase !== "ended";

    const d = v.dilemma;
    const key = v.phase + ":" + (d ? d.id : "") + ":" + v.round;
    $("c-round-stat").hidden = !d;
    $("c-round").textContent = W.formatNumber(v.round || 1);
    $("c-round-stat").dataset.round = String(v.round || 1);
    $("d-divided").hidden = !v.divided;
    if (!d) {
      $("d-progress").textContent = "";
      $("d-kind").hidden = true;
      $("d-round").hidden = true;
      $("d-title").textContent = v.phase === "ended" ? t("ended_title") : t("lobby_title");
      $("d-text").textContent = v.phase === "ended" ? t("ended_text") : t("lobby_text");
      $("d-question").textContent = "";
      $("d-debrief-wrap").hidden = true;
      $("d-live").hidden = true;
      flushNote();
      noteDilemma = null;
      $("note").value = "";
      $("note").disabled = true;
      setNoteStatus("", "");
    } else {
      $("d-progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
      $("d-kind").hidden = false;
      $("d-kind").textContent = W.names("kinds")[d.kind] || d.kind;
      $("d-kind").dataset.kind = d.kind;
      $("d-round").hidden = (v.round || 1) < 2;
      $("d-round").textContent = t("c_round", { n: v.round });
      $("d-title").textContent = d.title;
      $("d-text").textContent = d.text;
      $("d-text").hidden = !d.text;
      $("d-question").textContent = d.question;
      $("d-debrief").replaceChildren(...(v.debrief || []).map((q) => el("li", { text: q })));
      $("d-tip").textContent = v.tip || "";
      $("d-tip").parentElement.hidden = !v.tip;
      $("d-frame").textContent = v.frame || "";
      $("d-frame-wrap").hidden = !v.frame;
      $("d-debrief-wrap").hidden = !(v.tip || v.frame || (v.debrief || []).length);
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
    renderTimer(fresh);
    renderModeration();
    renderInsight();
    renderCounts();
  }

  /* ---- results ---- */

  function renderCounts() {
    if (!view) return;
    W.animateNumber($("c-participants"), view.participants);
    W.animateNumber($("c-answers"), view.results ? view.results.total : 0);
    $("c-answers-of").textContent = view.dilemma ? t("of_n", { n: W.formatNumber(view.participants) }) : "";
    renderResults();
  }

  function roundBox(id, heading) {
    let box = $(id);
    if (!box) {
      box = el("div", { id, class: "round-col" }, [el("h3", { class: "round-title" }), el("div", { class: "round-body" })]);
    }
    box.querySelector(".round-title").textContent = heading || "";
    box.querySelector(".round-title").hidden = !heading;
    return box;
  }

  function renderResults() {
    const d = view.dilemma;
    const r = view.results;
    const rounds = $("d-rounds");
    const note = $("d-suppressed");
    $("d-results").hidden = !d;
    if (!d || !r) { rounds.replaceChildren(); note.hidden = true; $("d-moved").hidden = true; $("d-roles").hidden = true; rounds.dataset.key = ""; return; }
    const kind = kindOf(d);
    note.hidden = !r.suppressed;
    if (r.suppressed) {
      note.textContent = t("c_suppressed", { n: W.formatNumber(r.total), min: W.formatNumber(view.min_answers) });
      rounds.replaceChildren();
      rounds.dataset.key = "";
    } else {
      // From round 2 once revealed: the round before beside this one.
      const prev = r.previous && !r.previous.suppressed ? r.previous : null;
      const key = d.id + ":" + r.round + ":" + (prev ? "2" : "1");
      const now = roundBox("d-now", prev ? t("c_round", { n: r.round }) : "");
      const before = prev ? roundBox("d-before", t("c_round", { n: prev.round })) : null;
      if (rounds.dataset.key !== key) {
        now.querySelector(".round-body").replaceChildren();
        rounds.replaceChildren(...(before ? [before, now] : [now]));
        rounds.dataset.key = key;
        rounds.classList.toggle("rounds-compare", !!before);
      }
      if (before) kind.results(before.querySelector(".round-body"), prev, d);
      kind.results(now.querySelector(".round-body"), r, d);
    }
    const moved = $("d-moved");
    moved.hidden = typeof r.moved !== "number";
    if (!moved.hidden) moved.textContent = tn("c_moved", r.moved);
    renderRoles(d, r, kind);
  }

  function renderRoles(d, r, kind) {
    const wrap = $("d-roles");
    const groups = r.by_role;
    const keys = kind.keys(d);
    wrap.hidden = !groups || !keys.length;
    if (wrap.hidden) return;
    const roleNames = W.names("roles");
    const table = $("d-roles-table");
    table.replaceChildren(
      el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col", text: t("role") }),
        el("th", { scope: "col", class: "num", text: t("answers_total") }),
        ...keys.map((k) => el("th", { scope: "col", class: "num", title: k.label || null, text: k.mark })),
      ])]),
      el("tbody", {}, Object.entries(groups).map(([role, g]) => el("tr", { "data-role": role }, [
        el("th", { scope: "row", text: roleNames[role] || role }),
        el("td", { class: "num", text: W.formatNumber(g.total) }),
        ...keys.map((k) => el("td", { class: "num", text: W.formatNumber((g.counts || {})[k.key] || 0) })),
      ]))),
    );
  }

  /* ---- timer ---- */

  /* The same countdown as the phones and the projector (W.countdown, from the view's timer and
     server_time); at 0 the server closes voting by itself and sends STATE. */
  const clock = W.countdown((left) => {
    const box = $("timer");
    if (left === null) {
      $("timer-time").textContent = view && view.phase === "voting" ? t("timer_off") : "";
      box.dataset.state = "off";
      return;
    }
    $("timer-time").textContent = W.clock(left);
    box.dataset.state = left === 0 ? "done" : left <= 10 ? "ending" : "running";
  });

  function renderTimer(fresh) {
    const voting = view.phase === "voting";
    const box = $("timer");
    box.hidden = !voting;
    const running = voting && !!view.timer;
    box.dataset.running = String(running);
    $("timer-extend").hidden = !running;
    $("timer-stop").hidden = !running;
    box.querySelectorAll("button").forEach((b) => { b.disabled = busy; });
    if (fresh) clock.set(view);
  }

  function startTimer(seconds, extend) {
    send("timer", extend ? { seconds, extend: true } : { seconds });
  }

  $("timer-presets").querySelectorAll("[data-seconds]").forEach((b) => b.addEventListener("click", () => startTimer(Number(b.dataset.seconds))));
  $("timer-extend").addEventListener("click", () => startTimer(30, true));
  $("timer-stop").addEventListener("click", () => startTimer(0));
  /* A whole number from lo to hi typed into `input`, or null with the reason shown (and focus on it). */
  function wholeNumber(input, lo, hi, reason) {
    const n = Number(input.value);
    const ok = input.value !== "" && Number.isInteger(n) && n >= lo && n <= hi;
    if (ok) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
    if (!ok) { showError(t(reason)); input.focus(); }
    return ok ? n : null;
  }

  $("timer-custom").addEventListener("submit", (e) => {
    e.preventDefault();
    const n = wholeNumber($("timer-seconds"), 10, 900, "timer_range");
    if (n !== null) startTimer(n);
  });

  /* ---- moderation ---- */

  function renderModeration() {
    const list = $("mod-list");
    const empty = $("mod-empty");
    const d = view.dilemma;
    const texts = view.texts || [];
    const r = view.results;
    const count = $("mod-count");
    count.hidden = !texts.length;
    count.textContent = W.formatNumber(texts.length);
    if (!d) empty.textContent = t("mod_waiting");
    else if (r && r.suppressed) empty.textContent = t("mod_suppressed", { min: W.formatNumber(view.min_answers) });
    else empty.textContent = t("mod_none");
    empty.hidden = texts.length > 0;
    const kind = kindOf(d);
    const seen = new Set();
    texts.forEach((x, i) => {
      seen.add(String(x.id));
      let li = list.querySelector(`li[data-text="${CSS.escape(String(x.id))}"]`);
      if (!li) {
        const button = el("button", { class: "btn btn-quiet btn-small mod-toggle", type: "button" });
        button.addEventListener("click", () => moderate(li, button));
        li = el("li", { "data-text": String(x.id), class: "mod-item" }, [
          el("span", { class: "mod-option" }),
          el("p", { class: "mod-text", text: x.text }),
          el("span", { class: "mod-state pill" }),
          button,
        ]);
      }
      const where = x.option !== undefined && x.option !== null && d ? kind.label(d, x.option) : null;
      li.querySelector(".mod-option").textContent = where || "";
      li.querySelector(".mod-option").hidden = !where;
      li.querySelector(".mod-text").textContent = x.text;
      li.dataset.hidden = String(!!x.hidden);
      li.querySelector(".mod-state").textContent = x.hidden ? t("mod_hidden") : "";
      li.querySelector(".mod-state").hidden = !x.hidden;
      const button = li.querySelector(".mod-toggle");
      button.textContent = x.hidden ? t("mod_show") : t("mod_hide");
      button.setAttribute("aria-label", (x.hidden ? t("mod_show") : t("mod_hide")) + ": " + x.text.slice(0, 60));
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
    [...list.children].forEach((li) => { if (!seen.has(li.dataset.text)) li.remove(); });
  }

  async function moderate(li, button) {
    const hidden = li.dataset.hidden !== "true";
    button.disabled = true;
    try {
      const out = await W.api("POST", base + "/texts/" + encodeURIComponent(li.dataset.text), { hidden });
      const x = (view.texts || []).find((y) => String(y.id) === String(out.id));
      if (x) x.hidden = out.hidden;
      renderModeration();
      W.announce(out.hidden ? t("mod_hidden") : t("mod_shown"));
      showError("");
    } catch (e) {
      showError(W.errorText(e));
    } finally {
      button.disabled = false;
      refreshSoon();
    }
  }

  /* ---- the anonymity minimum and the value profile ---- */

  function renderInsight() {
    const input = $("minimum");
    const canChange = !["revealed", "ended"].includes(view.phase);
    if (document.activeElement !== input) input.value = String(view.min_answers);
    input.disabled = !canChange || busy;
    $("minimum-save").disabled = !canChange || busy;
    $("minimum-hint").textContent = canChange ? t("minimum_hint") : t("minimum_locked");

    const list = $("profile");
    const profile = view.profile || [];
    $("profile-empty").hidden = profile.length > 0;
    const top = Math.max(1, ...profile.map((p) => p.n));
    list.replaceChildren(...profile.map((p) => {
      const fill = el("span", { class: "profile-fill" });
      fill.style.width = (p.n * 100) / top + "%";
      return el("li", { "data-value": p.value }, [
        el("span", { class: "profile-label", text: p.label }),
        el("span", { class: "profile-track", "aria-hidden": "true" }, [fill]),
        el("span", { class: "profile-n num", text: W.formatNumber(p.n) }),
      ]);
    }));
  }

  $("minimum-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const n = wholeNumber($("minimum"), 1, 50, "minimum_range");
    if (n === null) return;
    send("minimum", { min_answers: n }).then((ok) => { if (ok) W.toast(t("minimum_saved", { n: W.formatNumber(n) })); });
  });

  /* ---- commands ---- */

  /* Send a command (with its data); true when the server took it. Errors in the user's language. */
  async function send(command, data) {
    if (busy) return false; // a double click sends one command
    busy = true;
    if (view) render(view);
    try {
      render(await W.api("POST", base + "/commands", Object.assign({ command }, data || {})));
      showError("");
      return true;
    } catch (e) {
      if (e.code !== "invalid_transition" || data) showError(W.errorText(e));
      refresh();
      return false;
    } finally {
      busy = false;
      if (view) render(view);
    }
  }
  W.consoleApp = { render }; // console-add.js draws the view its `add` returns

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
