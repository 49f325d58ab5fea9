/* The projector: lobby with code and QR, the dilemma with a live answer count, the reveal.
   Opened with the screen token; the logged-in owner can also drive it from the keyboard. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const root = $("screen");
  const stage = $("stage");
  let state = null;
  let participants = 0;
  let watching = false;
  let shownKey = "";

  const socket = W.liveSocket($("conn"), watch);
  socket.on("state", (s) => apply(s, false));
  socket.on("results", (r) => {
    if (!state || !state.dilemma || r.dilemma !== state.dilemma.id) return;
    state.results = r;
    participants = r.participants;
    renderCounts();
  });
  socket.on("presence", (p) => { participants = p.participants; renderCounts(); });
  socket.on("disconnect", () => { watching = false; });

  function watch() {
    if (watching) return;
    watching = true;
    const sid = socket.id;
    socket.timeout(6000).emit("watch", { code: root.dataset.code, screen_token: root.dataset.token }, (err, ack) => {
      if (sid !== socket.id) return; // the answer (or time-out) of a connection that has been replaced
      watching = false;
      if (err) { socket.reconnectNow(); return; }
      if (ack && ack.ok) apply(ack.state, true);
      else W.toast(W.errorText(ack && ack.error));
    });
  }

  function apply(s, force) {
    if (!force && state && typeof s.version === "number" && s.version < state.version) return;
    state = s;
    if (typeof s.participants === "number") participants = s.participants;
    const phase = s.phase;
    const onStage = !!s.dilemma && phase !== "lobby" && phase !== "ended";
    $("s-lobby").hidden = phase !== "lobby";
    $("s-ended").hidden = phase !== "ended";
    $("s-dilemma").hidden = !onStage;
    $("join-hint").hidden = !onStage || phase === "revealed";
    root.dataset.phase = phase;
    $("screen-title").textContent = s.session.title;
    if (onStage) renderDilemma(s);
    renderCounts();
    const key = phase + ":" + (s.dilemma ? s.dilemma.id : "");
    if (key !== shownKey) {
      if (shownKey) announce(s);
      shownKey = key;
      refreshAllowed();
    }
    fit();
  }

  function announce(s) {
    if (s.phase === "voting") W.announce(t("new_dilemma", { title: s.dilemma.title }));
    else if (s.phase === "closed") W.announce(t("voting_closed"));
    else if (s.phase === "revealed") W.announce(t("results_shown"));
    else if (s.phase === "ended") W.announce(t("ended_title"));
  }

  function renderDilemma(s) {
    const d = s.dilemma;
    const revealed = s.phase === "revealed";
    $("s-dilemma").dataset.phase = s.phase;
    $("s-dilemma").lang = s.language || "";
    const banner = $("phase-banner");
    banner.textContent = s.phase === "voting" ? t("voting_open") : revealed ? t("revealed") : t("voting_closed");
    banner.className = "phase-banner " + s.phase;
    $("progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
    $("progress").lang = W.uiLang;
    banner.lang = W.uiLang;
    $("d-title").textContent = d.title;
    $("d-text").textContent = d.text;
    $("d-text").hidden = revealed;
    $("d-question").textContent = d.question;
    $("d-options").hidden = revealed;
    $("d-bars").hidden = !revealed;
    if ($("d-options").dataset.dilemma !== d.id) {
      $("d-options").dataset.dilemma = d.id;
      $("d-options").replaceChildren(...d.options.map((o, i) => el("li", {}, [
        el("span", { class: "letter", "aria-hidden": "true", text: W.letter(i) }),
        el("span", { text: o.label }),
      ])));
    }
    if (revealed) W.renderBars($("d-bars"), d, s.results, null, s.value_labels);
    else { $("d-bars").replaceChildren(); delete $("d-bars").dataset.dilemma; } // animate again on the next reveal
  }

  function renderCounts() {
    W.animateNumber($("lobby-count"), participants);
    $("lobby-count-label").textContent = W.tn("joined_label", participants);
    if (!state || !state.dilemma) return;
    const total = state.results ? state.results.total : 0;
    const node = $("answer-count");
    if (node.dataset.value !== String(total) && W.motionOK()) {
      node.classList.remove("bump");
      void node.offsetWidth; // restart the animation
      node.classList.add("bump");
    }
    W.animateNumber(node, total);
    if (state.phase === "revealed") {
      $("answer-of").textContent = W.tn("answers_label", total);
    } else {
      $("answer-of").textContent = t("answers_of", { n: W.formatNumber(participants) });
    }
    $("meter-fill").style.width = (participants ? Math.min(100, (total * 100) / participants) : 0) + "%";
    if (state.phase === "revealed") W.renderBars($("d-bars"), state.dilemma, state.results, null, state.value_labels);
  }

  /* Shrink the type until the dilemma fits the screen (long texts, four long options, 720p). */
  let fitFrame = 0;
  function fit() {
    cancelAnimationFrame(fitFrame);
    fitFrame = requestAnimationFrame(() => {
      let scale = 1;
      stage.style.setProperty("--fit", "1");
      const over = () => stage.scrollHeight > stage.clientHeight + 1
        || ["stage-text", "stage-answers"].some((id) => { const n = $(id); return n.offsetParent && n.scrollHeight > n.clientHeight + 1; });
      while (over() && scale > 0.56) {
        scale = Math.round((scale - 0.04) * 100) / 100;
        stage.style.setProperty("--fit", String(scale));
      }
      root.dataset.fit = String(scale);
    });
  }
  window.addEventListener("resize", fit);

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }
  $("fullscreen").addEventListener("click", toggleFullscreen);

  // Keyboard shortcuts: F for anyone at the projector laptop; commands for the logged-in owner.
  const owner = root.dataset.owner === "true";
  const keys = { ArrowRight: "next", PageDown: "next", " ": "next", r: "reveal", R: "reveal", c: "close", C: "close", ArrowLeft: "previous", PageUp: "previous" };
  const sessionUrl = "/api/sessions/" + root.dataset.session;
  const commandsUrl = sessionUrl + "/commands";
  let queue = Promise.resolve();
  let allowed = null;
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const target = e.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    if (e.key === "f" || e.key === "F") { e.preventDefault(); toggleFullscreen(); return; }
    const command = owner && keys[e.key];
    if (!command) return;
    if (e.key === " " && target && (target.tagName === "BUTTON" || target.tagName === "A")) return;
    e.preventDefault();
    // One command after the other, in the order pressed (a second press never overtakes the
    // first); a step that does not fit now is explained at once instead of being sent.
    queue = queue.then(async () => {
      if (allowed && !allowed.includes(command)) { W.toast(W.errorText({ code: "invalid_transition" })); return; }
      try {
        const view = await W.api("POST", commandsUrl, { command });
        allowed = view.commands;
      } catch (err) {
        W.toast(W.errorText(err));
        refreshAllowed();
      }
    });
  });

  /* Which commands fit now (the owner's view of the session); refreshed on every phase change. */
  function refreshAllowed() {
    if (!owner) return;
    queue = queue.then(() => W.api("GET", sessionUrl).then((view) => { allowed = view.commands; }, () => { allowed = null; }));
  }
})();
