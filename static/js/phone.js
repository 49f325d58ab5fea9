/* The participant's phone: join (or rejoin with the stored token), answer, follow the session. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const root = $("phone");
  const code = root.dataset.code;
  const tokenKey = "workshop:token:" + code;
  const socket = W.newSocket();
  let token = localStorage.getItem(tokenKey);
  let state = null;
  let joined = false;
  let pending = null; // a vote not yet acknowledged: sent again after a reconnect
  let shownKey = "";

  W.connectionIndicator(socket, $("conn"));

  const views = ["loading", "join", "unknown", "lobby", "dilemma", "ended"];
  function show(name) { views.forEach((v) => { $("view-" + v).hidden = v !== name; }); }
  function showError(text) { const box = $("error"); box.textContent = text || ""; box.hidden = !text; }

  function join(name) {
    const payload = { code };
    if (token) payload.token = token;
    if (name) payload.name = name;
    socket.timeout(8000).emit("join", payload, (err, ack) => {
      if (err) { showError(t("offline")); return; }
      if (!ack.ok) {
        if (ack.error.code === "unknown_session" || ack.error.code === "session_ended") {
          localStorage.removeItem(tokenKey);
          $("unknown-text").textContent = W.errorText(ack.error);
          $("unknown-title").hidden = ack.error.code === "session_ended";
          show("unknown");
        } else {
          showError(W.errorText(ack.error));
        }
        return;
      }
      showError("");
      token = ack.token;
      localStorage.setItem(tokenKey, token);
      joined = true;
      apply(ack.state, true);
      if (pending) sendVote(pending.option, pending.reason);
    });
  }

  socket.on("connect", () => {
    if (token) join(); else show("join");
  });
  socket.on("disconnect", () => { joined = false; });
  socket.on("state", (s) => apply(s, false));

  // A phone that slept: reconnect at once instead of waiting for the back-off timer.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !socket.connected) socket.connect();
  });

  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = $("name").value.trim();
    join(name || undefined);
  });

  function apply(s, force) {
    if (!force && state && s.version < state.version) return; // an older broadcast arrived late
    state = s;
    $("session-title").textContent = s.session.title;
    document.documentElement.lang = s.language || document.documentElement.lang;
    if (s.phase === "lobby") { show("lobby"); shownKey = ""; return; }
    if (s.phase === "ended") { show("ended"); localStorage.removeItem(tokenKey); return; }
    if (!s.dilemma) { show("lobby"); return; }
    show("dilemma");
    renderDilemma(s);
  }

  function renderDilemma(s) {
    const d = s.dilemma;
    const key = d.id + ":" + s.phase;
    const voting = s.phase === "voting";
    const mine = s.my_vote ? s.my_vote.option : null;
    if (shownKey.split(":")[0] !== d.id) {
      $("dilemma-progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
      $("dilemma-title").textContent = d.title;
      $("dilemma-text").textContent = d.text;
      $("dilemma-question").textContent = d.question;
      $("reason").value = "";
      const list = $("options");
      list.replaceChildren(...d.options.map((o, i) => el("li", {}, [
        el("button", { class: "option", type: "button", "data-option": o.id, "aria-pressed": "false" }, [
          el("span", { class: "mark", "aria-hidden": "true", text: String.fromCharCode(65 + i) }),
          el("span", { text: o.label }),
        ]),
      ])));
      list.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => choose(b.dataset.option)));
    }
    shownKey = key;
    $("options").querySelectorAll("button").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.option === mine));
      b.disabled = !voting;
    });
    $("saved").hidden = !(voting && mine);
    const note = $("phase-note");
    note.hidden = s.phase !== "closed";
    note.textContent = s.phase === "closed" ? t("closed_note") : "";
    const results = $("results");
    results.hidden = s.phase !== "revealed" || !s.results;
    if (!results.hidden) {
      W.renderBars($("result-bars"), d, s.results, mine);
      $("result-total").textContent = t("answers", { n: s.results.total }) + (mine ? "" : " · " + t("not_voted"));
    }
  }

  function choose(option) {
    if (!state || state.phase !== "voting") return;
    sendVote(option, $("reason").value.trim() || undefined);
  }

  function sendVote(option, reason) {
    if (!state || !state.dilemma) return;
    const dilemma = state.dilemma.id;
    pending = { option, reason, dilemma };
    // Show the choice at once; the server's acknowledgement confirms it.
    state.my_vote = { option };
    renderDilemma(state);
    $("saved-text").textContent = t("note_saving");
    if (!joined) return; // sent again after the rejoin
    const payload = { dilemma, option };
    if (reason) payload.reason = reason;
    socket.timeout(8000).emit("vote", payload, (err, ack) => {
      if (err) { $("saved-text").textContent = t("offline"); return; }
      if (pending && pending.dilemma === dilemma && pending.option === option) pending = null;
      if (!ack.ok) {
        showError(W.errorText(ack.error));
        join(); // resync: the server's state is the truth
        return;
      }
      showError("");
      $("saved-text").textContent = reason ? t("reason_saved") : t("saved");
    });
  }

  $("reason-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (state && state.my_vote && state.phase === "voting") sendVote(state.my_vote.option, $("reason").value.trim() || undefined);
  });
})();
