/* The participant's phone: join (or rejoin with the stored token), answer, follow the session.
   The server's state snapshot is the truth: every (re)connect and every wake-up asks for it again. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const root = $("phone");
  const code = root.dataset.code;
  const tokenKey = "workshop:token:" + code;
  let token = null;
  try { token = localStorage.getItem(tokenKey); } catch (e) { token = null; }
  let state = null;
  let joined = false;
  let joining = false;
  let pending = null; // {dilemma, option, reason}: a vote not yet acknowledged, sent again after a rejoin
  let shownDilemma = null;
  let shownPhase = null;

  const askName = root.dataset.askName === "true";
  let name = null; // given once, on the first join, where the session shows names in the export

  // The first join waits for the name where one is asked for; every later (re)join is automatic.
  const socket = W.liveSocket($("conn"), () => { if (token || !askName || name !== null) join(); else show("join"); });
  socket.on("disconnect", () => { joined = false; joining = false; if (pending) renderSaved("offline"); });
  socket.on("state", (s) => apply(s, false));

  const views = ["loading", "join", "unknown", "lobby", "dilemma", "ended"];
  function show(name) {
    views.forEach((v) => { $("view-" + v).hidden = v !== name; });
    root.dataset.view = name;
  }
  function showError(text) { const box = $("error"); box.textContent = text || ""; box.hidden = !text; }
  function remember(value) {
    try { if (value) localStorage.setItem(tokenKey, value); else localStorage.removeItem(tokenKey); } catch (e) { /* private mode */ }
  }

  function join() {
    if (joining) return;
    joining = true;
    const payload = { code };
    if (token) payload.token = token;
    else if (name) payload.name = name;
    const sid = socket.id;
    socket.timeout(6000).emit("join", payload, (err, ack) => {
      if (sid !== socket.id) return; // the answer (or time-out) of a connection that has been replaced
      joining = false;
      if (err) { socket.reconnectNow(); return; } // the connection is not really there: start again
      if (!ack.ok) {
        const known = ack.error.code === "unknown_session" || ack.error.code === "session_ended";
        if (!known) { showError(W.errorText(ack.error)); return; }
        remember(null);
        token = null;
        if (ack.error.code === "session_ended") { show("ended"); return; }
        $("unknown-text").textContent = W.errorText(ack.error);
        show("unknown");
        return;
      }
      showError("");
      token = ack.token;
      remember(token);
      root.dataset.participant = ack.participant.id;
      joined = true;
      apply(ack.state, true);
      const s = ack.state;
      if (pending) {
        if (s.phase === "voting" && s.dilemma && s.dilemma.id === pending.dilemma) sendVote(pending.option, pending.reason);
        else { pending = null; render(); }
      }
    });
  }

  function apply(s, force) {
    if (!force && state && typeof s.version === "number" && s.version < state.version) return; // a late, older broadcast
    const reason = s.my_vote && s.my_vote.reason;
    state = s;
    $("session-title").textContent = s.session.title;
    if (reason && !$("reason").value) $("reason").value = reason;
    render();
  }

  function render() {
    const s = state;
    if (!s) return;
    const changed = s.phase !== shownPhase || (s.dilemma ? s.dilemma.id : null) !== shownDilemma;
    if (s.phase === "ended") {
      show("ended"); remember(null);
    } else if (s.phase === "lobby" || !s.dilemma) {
      show("lobby");
    } else {
      show("dilemma");
      renderDilemma(s);
    }
    if (changed) {
      const newDilemma = s.dilemma && s.dilemma.id !== shownDilemma;
      if (newDilemma) window.scrollTo(0, 0);
      if (shownPhase !== null) announceChange(s, newDilemma);
      shownPhase = s.phase;
      shownDilemma = s.dilemma ? s.dilemma.id : null;
    }
  }

  function announceChange(s, newDilemma) {
    if (s.phase === "ended") W.announce(t("ended_title"));
    else if (s.phase === "voting" && newDilemma) W.announce(t("new_dilemma", { title: s.dilemma.title }));
    else if (s.phase === "closed") W.announce(t("closed_note"));
    else if (s.phase === "revealed") W.announce(t("results_shown"));
  }

  function myOption(s) {
    if (pending && s.dilemma && pending.dilemma === s.dilemma.id) return pending.option;
    return s.my_vote ? s.my_vote.option : null;
  }

  function renderDilemma(s) {
    const d = s.dilemma;
    const voting = s.phase === "voting";
    const revealed = s.phase === "revealed";
    const mine = myOption(s);
    ["dilemma-content", "options", "results"].forEach((id) => { $(id).lang = s.language || ""; });
    if (root.dataset.dilemma !== d.id) {
      root.dataset.dilemma = d.id;
      $("dilemma-progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
      $("dilemma-title").textContent = d.title;
      $("dilemma-text").textContent = d.text;
      $("dilemma-question").textContent = d.question;
      $("reason").value = s.my_vote && s.my_vote.reason ? s.my_vote.reason : "";
      $("reason-box").open = false;
      $("options").replaceChildren(...d.options.map((o, i) => el("li", {}, [
        el("button", { class: "option", type: "button", "data-option": o.id, "aria-pressed": "false" }, [
          el("span", { class: "mark", "aria-hidden": "true", text: W.letter(i) }),
          el("span", { class: "option-text" }, [
            el("span", { text: o.label }),
            el("span", { class: "chosen", text: t("your_answer") }),
          ]),
        ]),
      ])));
      $("options").querySelectorAll("button").forEach((b) => b.addEventListener("click", () => choose(b.dataset.option)));
    }
    const pill = $("phase-pill");
    pill.textContent = voting ? t("voting_open") : revealed ? t("revealed") : t("voting_closed");
    pill.className = "pill pill-" + s.phase;
    $("dilemma-text").hidden = revealed;
    $("options").hidden = revealed;
    $("options").querySelectorAll("button").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.option === mine));
      b.dataset.pending = String(!!pending && b.dataset.option === mine);
      b.disabled = !voting;
    });
    $("saved").hidden = !(voting && mine);
    if (voting && mine && !pending) renderSaved("saved");
    const note = $("phase-note");
    note.hidden = s.phase !== "closed";
    if (s.phase === "closed") note.textContent = mine ? t("closed_note") : t("closed_not_voted");
    const results = $("results");
    results.hidden = !revealed || !s.results;
    if (!results.hidden) {
      W.renderBars($("result-bars"), d, s.results, mine);
      $("result-total").textContent = W.tn("answers", s.results.total) + (mine ? "" : " · " + t("not_voted"));
    }
  }

  function optionLetter(option) {
    const i = state && state.dilemma ? state.dilemma.options.findIndex((o) => o.id === option) : -1;
    return i >= 0 ? W.letter(i) : "";
  }

  function renderSaved(kind) {
    const box = $("saved-box");
    const mine = state ? myOption(state) : null;
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
      $("saved-text").textContent = t("saved", { option: optionLetter(mine) });
      $("saved-hint").textContent = t("change_hint");
    }
  }

  function choose(option) {
    if (!state || state.phase !== "voting") return;
    sendVote(option, $("reason").value.trim() || undefined);
  }

  function sendVote(option, reason, isReason) {
    if (!state || !state.dilemma) return;
    const dilemma = state.dilemma.id;
    pending = { option, reason, dilemma };
    render(); // show the choice at once; the acknowledgement confirms it
    if (!joined) { renderSaved("offline"); return; } // sent again after the rejoin
    renderSaved("saving");
    const payload = { dilemma, option };
    if (reason) payload.reason = reason;
    const sid = socket.id;
    socket.timeout(8000).emit("vote", payload, (err, ack) => {
      if (sid !== socket.id) return; // that connection is gone; the rejoin sends the vote again
      const current = pending && pending.dilemma === dilemma && pending.option === option && pending.reason === reason;
      if (err) { if (current) { renderSaved("offline"); socket.reconnectNow(); } return; }
      if (!current) return; // a newer choice is on its way
      pending = null;
      if (!ack.ok) {
        showError(W.errorText(ack.error));
        join(); // resync: the server's state is the truth
        return;
      }
      showError("");
      state.my_vote = { option, reason: reason || null };
      render();
      renderSaved(isReason ? "reason" : "saved");
    });
  }

  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    name = $("name").value.trim();
    if (socket.connected) join();
  });

  $("reason-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const mine = state ? myOption(state) : null;
    if (mine && state.phase === "voting") sendVote(mine, $("reason").value.trim() || undefined, true);
  });
})();
