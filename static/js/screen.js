/* The projector: lobby with code and QR, the dilemma with a live answer count, the reveal. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const root = $("screen");
  const socket = W.newSocket();
  let state = null;
  let participants = 0;

  W.connectionIndicator(socket, $("conn"));

  socket.on("connect", () => {
    socket.emit("watch", { code: root.dataset.code, screen_token: root.dataset.token }, (ack) => {
      if (ack && ack.ok) apply(ack.state, true);
    });
  });
  socket.on("state", (s) => apply(s, false));
  socket.on("results", (r) => {
    if (!state || !state.dilemma || r.dilemma !== state.dilemma.id) return;
    state.results = r;
    participants = r.participants;
    renderCounts();
  });
  socket.on("presence", (p) => { participants = p.participants; renderCounts(); });

  function apply(s, force) {
    if (!force && state && s.version < state.version) return;
    state = s;
    if (typeof s.participants === "number") participants = s.participants;
    const phase = s.phase;
    $("s-lobby").hidden = phase !== "lobby";
    $("s-ended").hidden = phase !== "ended";
    $("s-dilemma").hidden = !(s.dilemma && phase !== "lobby" && phase !== "ended");
    $("join-hint").hidden = phase === "lobby" || phase === "ended";
    if (s.dilemma && !$("s-dilemma").hidden) renderDilemma(s);
    renderCounts();
  }

  function renderDilemma(s) {
    const d = s.dilemma;
    const revealed = s.phase === "revealed";
    const banner = $("phase-banner");
    banner.textContent = s.phase === "voting" ? t("voting_open") : revealed ? t("revealed") : t("voting_closed");
    banner.className = "phase-banner " + s.phase;
    $("progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
    $("d-title").textContent = d.title;
    $("d-text").textContent = d.text;
    $("d-question").textContent = d.question;
    $("d-options").hidden = revealed;
    $("d-bars").hidden = !revealed;
    if ($("d-options").dataset.dilemma !== d.id) {
      $("d-options").dataset.dilemma = d.id;
      $("d-options").replaceChildren(...d.options.map((o, i) => el("li", {}, [
        el("span", { class: "letter", text: String.fromCharCode(65 + i) }), o.label,
      ])));
    }
    if (revealed) W.renderBars($("d-bars"), d, s.results, null, s.value_labels);
  }

  function renderCounts() {
    $("lobby-count").textContent = participants;
    if (!state || !state.dilemma) return;
    const total = state.results ? state.results.total : 0;
    const node = $("answer-count");
    if (node.textContent !== String(total)) {
      node.textContent = total;
      node.classList.remove("bump");
      void node.offsetWidth; // restart the animation
      node.classList.add("bump");
    }
    $("answer-of").textContent = t("answers_of", { n: participants });
    if (state.phase === "revealed") W.renderBars($("d-bars"), state.dilemma, state.results, null, state.value_labels);
  }

  // Keyboard shortcuts for the logged-in facilitator driving from the projector laptop.
  if (root.dataset.owner === "true") {
    const keys = { ArrowRight: "next", PageDown: "next", r: "reveal", R: "reveal", c: "close", C: "close", ArrowLeft: "previous", PageUp: "previous" };
    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "f" || e.key === "F") {
        if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen().catch(() => {});
        return;
      }
      const command = keys[e.key];
      if (!command) return;
      e.preventDefault();
      W.api("POST", "/api/sessions/" + root.dataset.session + "/commands", { command }).catch(() => {});
    });
  }
})();
