/* The participant's phone: join (or rejoin with the stored token), answer, follow the session.
   The server's state snapshot is the truth: every (re)connect and every wake-up asks for it again.
   How a question is answered and how its results look belong to its kind (static/js/kinds/). */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, t } = W;
  const root = $("phone");
  const code = root.dataset.code;
  const tokenKey = "workshop:token:" + code;
  const roleKey = "workshop:role:" + code;
  const ROLES = ["leader", "employee", "other"];
  function stored(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function store(key, value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  let token = stored(tokenKey);
  let role = stored(roleKey); // "leader" | "employee" | "other" | "skip" | null (not asked yet)
  let state = null;
  let joined = false;
  let joining = false;
  let pending = null; // {key, dilemma, answer, reason, isReason}: not yet acknowledged, sent again after a rejoin
  let draft = null; // {key, answer}: chosen, but the dilemma asks for a reason first
  let shownKey = null;
  let shownPhase = null;
  let timeUp = false;

  const askName = root.dataset.askName === "true";
  let name = null; // given once, on the first join, where the session shows names in the export

  // The first join waits for the name where one is asked for; every later (re)join is automatic.
  const socket = W.liveSocket($("conn"), () => { if (token || !askName || name !== null) join(); else show("join"); });
  socket.on("disconnect", () => { joined = false; joining = false; if (pending) renderSaved("offline"); });
  socket.on("state", (s) => apply(s, false));

  const clock = W.countdown((left, fraction) => {
    const node = $("timer");
    node.hidden = left === null;
    if (left === null) { timeUp = false; return; }
    node.textContent = left > 0 ? W.clock(left) : t("time_up");
    node.dataset.low = String(left <= 5 || (left <= 10 && fraction <= 0.34));
    const up = left === 0;
    if (up !== timeUp) { timeUp = up; render(); }
  });

  const views = ["loading", "join", "role", "unknown", "lobby", "dilemma", "ended"];
  function show(view) {
    views.forEach((v) => { $("view-" + v).hidden = v !== view; });
    root.dataset.view = view;
  }
  function showError(text) { const box = $("error"); box.textContent = text || ""; box.hidden = !text; }
  function kindOf(d) { return W.kinds[d.kind]; } // static/js/kinds/<kind>.js
  function roundKey(s) { return s && s.dilemma ? s.dilemma.id + "#" + (s.round || 1) : null; }

  function join() {
    if (joining) return;
    joining = true;
    const payload = { code };
    if (token) payload.token = token;
    else if (name) payload.name = name;
    if (ROLES.includes(role)) payload.role = role;
    const sid = socket.id;
    socket.timeout(6000).emit("join", payload, (err, ack) => {
      if (sid !== socket.id) return; // the answer (or time-out) of a connection that has been replaced
      joining = false;
      if (err) { socket.reconnectNow(); return; } // the connection is not really there: start again
      if (!ack.ok) {
        const known = ack.error.code === "unknown_session" || ack.error.code === "session_ended";
        if (!known) { showError(W.errorText(ack.error)); return; }
        forget();
        if (ack.error.code === "session_ended") { show("ended"); return; }
        $("unknown-text").textContent = W.errorText(ack.error);
        show("unknown");
        return;
      }
      showError("");
      token = ack.token;
      store(tokenKey, token);
      root.dataset.participant = ack.participant.id;
      joined = true;
      apply(ack.state, true);
      const s = ack.state;
      if (pending) {
        if (s.phase === "voting" && roundKey(s) === pending.key) sendVote(pending.answer, pending.reason, pending.isReason);
        else { pending = null; render(); }
      }
    });
  }

  function forget() {
    token = null;
    store(tokenKey, null);
    store(roleKey, null);
  }

  function apply(s, force) {
    if (!force && state && typeof s.version === "number" && s.version < state.version) return; // a late, older broadcast
    const reason = s.my_vote && s.my_vote.reason;
    state = s;
    $("session-title").textContent = s.session.title;
    if (reason && !$("reason").value) $("reason").value = reason;
    clock.set(s);
    render();
  }

  function render() {
    const s = state;
    if (!s) return;
    const key = roundKey(s);
    const changed = s.phase !== shownPhase || key !== shownKey;
    if (s.phase === "ended") {
      show("ended"); forget();
    } else if (s.ask_role && role === null) {
      show("role"); // asked once, before anything else; skippable
      return;
    } else if (s.phase === "lobby" || !s.dilemma) {
      show("lobby");
    } else {
      show("dilemma");
      renderDilemma(s);
    }
    if (changed) {
      const fresh = key !== shownKey;
      if (fresh) { window.scrollTo(0, 0); draft = null; }
      if (shownPhase !== null) announceChange(s, fresh);
      shownPhase = s.phase;
      shownKey = key;
    }
  }

  function announceChange(s, fresh) {
    if (s.phase === "ended") W.announce(t("ended_title"));
    else if (s.phase === "voting" && fresh && s.round > 1) W.announce(t("vote_again"));
    else if (s.phase === "voting" && fresh) W.announce(t("new_dilemma", { title: s.dilemma.title }));
    else if (s.phase === "closed") W.announce(t("closed_note"));
    else if (s.phase === "revealed") W.announce(t("results_shown"));
  }

  /* The viewer's answer in this round: on its way, chosen but waiting for a reason, or saved. */
  function mine(s) {
    const key = roundKey(s);
    if (pending && pending.key === key) return pending.answer;
    if (draft && draft.key === key) return draft.answer;
    return s.my_vote || null;
  }

  function answerOf(m) {
    const out = {};
    Object.keys(m || {}).forEach((k) => { if (k !== "reason") out[k] = m[k]; });
    return out;
  }

  function renderDilemma(s) {
    const d = s.dilemma;
    const kind = kindOf(d);
    const voting = s.phase === "voting" && !timeUp;
    const revealed = s.phase === "revealed";
    const m = mine(s);
    const saved = !!m && !(draft && draft.key === roundKey(s));
    root.dataset.kind = d.kind;
    ["dilemma-content", "options", "results"].forEach((id) => { $(id).lang = s.language || ""; });
    if (root.dataset.dilemma !== d.id) {
      root.dataset.dilemma = d.id;
      $("dilemma-progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
      $("dilemma-title").textContent = d.title;
      $("dilemma-text").textContent = d.text;
      $("dilemma-question").textContent = d.question;
      $("reason").value = s.my_vote && s.my_vote.reason ? s.my_vote.reason : "";
      showReasonError("");
      $("reason-box").open = d.reason === "required";
    }
    if (root.dataset.round !== String(s.round)) {
      root.dataset.round = String(s.round);
      if (s.round > 1 && !(s.my_vote && s.my_vote.reason)) $("reason").value = "";
    }
    const pill = $("phase-pill");
    pill.textContent = s.phase === "voting" && !timeUp ? t("voting_open") : revealed ? t("revealed") : t("voting_closed");
    pill.className = "pill pill-" + (timeUp && s.phase === "voting" ? "closed" : s.phase);
    const roundNote = $("round-note");
    roundNote.hidden = !(s.round > 1);
    roundNote.textContent = s.phase === "voting" ? t("round_vote_again", { n: s.round }) : t("round_n", { n: s.round });
    $("dilemma-text").hidden = revealed;
    const box = $("options");
    box.hidden = revealed;
    kind.answer(box, { dilemma: d, round: s.round, mine: m, voting, pending: !!pending, send: (answer) => choose(answer) });
    $("saved").hidden = !(voting && saved);
    if (voting && saved && !pending) renderSaved("saved");
    renderReason(s, voting, saved);
    const note = $("phase-note");
    const closed = s.phase === "closed" || (s.phase === "voting" && timeUp);
    note.hidden = !closed;
    if (closed) note.textContent = saved ? t("closed_note") : t("closed_not_voted");
    renderResults(s, kind, saved ? m : null);
  }

  function renderReason(s, voting, saved) {
    const d = s.dilemma;
    const mode = d.reason || "optional";
    const area = $("reason-area");
    area.hidden = mode === "off" || !voting || (mode === "optional" && !saved);
    area.dataset.mode = mode;
    const required = mode === "required";
    $("reason-summary").textContent = required ? t("reason_required_label") : t("reason_optional");
    $("reason-save").textContent = required ? t("reason_send") : t("reason_save");
    $("reason").required = required;
    if (required) $("reason-box").open = true;
  }

  function showReasonError(text) {
    const node = $("reason-error");
    node.textContent = text || "";
    node.hidden = !text;
    if (text) $("reason").setAttribute("aria-invalid", "true");
    else $("reason").removeAttribute("aria-invalid");
  }

  function renderResults(s, kind, m) {
    const results = s.results;
    const section = $("results");
    section.hidden = s.phase !== "revealed" || !results;
    if (section.hidden) return;
    const suppressed = !!results.suppressed;
    $("result-suppressed").hidden = !suppressed;
    $("result-suppressed").textContent = suppressed ? t("suppressed") : "";
    $("result-bars").hidden = suppressed;
    if (!suppressed) kind.results($("result-bars"), results, { dilemma: s.dilemma, mine: m });
    const moved = $("result-moved");
    moved.hidden = suppressed || typeof results.moved !== "number";
    if (!moved.hidden) moved.textContent = W.tn("moved", results.moved);
    $("result-total").textContent = W.tn("answers", results.total) + (m ? "" : " · " + t("not_voted"));
  }

  function renderSaved(kind) {
    const box = $("saved-box");
    box.dataset.state = kind;
    if (kind === "saving") {
      $("saved-text").textContent = t("saving");
      $("saved-hint").textContent = "";
    } else if (kind === "offline") {
      box.dataset.state = "failed";
      $("saved-text").textContent = t("vote_queued");
      $("saved-hint").textContent = "";
    } else if (kind === "reason") {
      $("saved-text").textContent = t("reason_saved");
      $("saved-hint").textContent = t("change_hint");
    } else {
      const d = state && state.dilemma;
      const said = d ? kindOf(d).said(d, mine(state)) : "";
      $("saved-text").textContent = said ? t("saved", { option: said }) : t("saved_plain");
      $("saved-hint").textContent = t("change_hint");
    }
  }

  function reasonText() {
    const d = state && state.dilemma;
    if (!d || d.reason === "off") return undefined;
    return $("reason").value.trim() || undefined;
  }

  function choose(answer) {
    if (!state || state.phase !== "voting" || timeUp) return;
    sendVote(answer, reasonText());
  }

  function sendVote(answer, reason, isReason) {
    if (!state || !state.dilemma) return;
    const dilemma = state.dilemma.id;
    const key = roundKey(state);
    pending = { key, dilemma, answer, reason, isReason };
    draft = null;
    render(); // show the choice at once; the acknowledgement confirms it
    if (!joined) { renderSaved("offline"); return; } // sent again after the rejoin
    renderSaved("saving");
    const payload = Object.assign({ dilemma }, answer);
    if (reason) payload.reason = reason;
    const sid = socket.id;
    const mark = pending;
    socket.timeout(8000).emit("vote", payload, (err, ack) => {
      if (sid !== socket.id) return; // that connection is gone; the rejoin sends the vote again
      const current = pending === mark;
      if (err) { if (current) { renderSaved("offline"); socket.reconnectNow(); } return; }
      if (!current) return; // a newer choice is on its way
      pending = null;
      if (!ack.ok) {
        if (ack.error.code === "reason_required") {
          // Keep the choice, ask for the reason in the server's words.
          draft = { key, answer };
          render();
          $("reason-area").hidden = false;
          $("reason-box").open = true;
          showReasonError(W.errorText(ack.error));
          $("reason").focus();
          return;
        }
        showError(W.errorText(ack.error));
        join(); // resync: the server's state is the truth
        return;
      }
      showError("");
      showReasonError("");
      if (roundKey(state) === key) state.my_vote = Object.assign({}, answer, { reason: reason || null });
      render();
      renderSaved(isReason ? "reason" : "saved");
    });
  }

  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    name = $("name").value.trim();
    if (socket.connected) join();
  });

  document.querySelectorAll("#view-role button[data-role]").forEach((b) => b.addEventListener("click", () => {
    role = b.dataset.role || "skip";
    store(roleKey, role);
    if (ROLES.includes(role) && socket.connected) { joined = false; join(); } // the same participant, now with a role
    render();
  }));

  $("reason-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const m = state ? mine(state) : null;
    if (!state || state.phase !== "voting" || timeUp) return;
    if (!m) { showReasonError(t("answer_first")); return; }
    sendVote(answerOf(m), reasonText(), true);
  });
})();
