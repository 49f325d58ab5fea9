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
    if (!state || !state.dilemma || r.dilemma !== state.dilemma.id || (r.round || 1) !== (state.round || 1)) return;
    state.results = r;
    participants = r.participants;
    renderCounts();
    renderAnswers(state);
    fit();
  });
  socket.on("presence", (p) => { participants = p.participants; renderCounts(); });
  socket.on("disconnect", () => { watching = false; });

  const clock = W.countdown((left, fraction) => {
    const node = $("timer");
    node.hidden = left === null;
    if (left === null) return;
    $("timer-clock").textContent = left > 0 ? W.clock(left) : t("time_up");
    $("timer-fill").style.width = Math.round(fraction * 1000) / 10 + "%";
    node.dataset.low = String(left <= 5 || (left <= 10 && fraction <= 0.34));
    node.dataset.up = String(left === 0);
  });
  function kindOf(d) { return W.kinds[d.kind]; } // static/js/kinds/<kind>.js

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
    clock.set(s);
    renderCounts();
    renderProfile(s);
    const key = phase + ":" + (s.dilemma ? s.dilemma.id : "") + ":" + (s.round || 1);
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
    $("s-dilemma").dataset.kind = d.kind;
    $("s-dilemma").lang = s.language || "";
    const banner = $("phase-banner");
    banner.textContent = s.phase === "voting" ? t("voting_open") : revealed ? t("revealed") : t("voting_closed");
    banner.className = "phase-banner " + s.phase;
    $("progress").textContent = t("dilemma_of", { n: d.index + 1, count: d.count });
    $("progress").lang = W.uiLang;
    banner.lang = W.uiLang;
    const badge = $("round-badge");
    badge.hidden = !(s.round > 1);
    badge.textContent = t("round_n", { n: s.round });
    badge.lang = W.uiLang;
    $("d-title").textContent = d.title;
    $("d-text").textContent = d.text;
    $("d-text").hidden = revealed;
    $("d-question").textContent = d.question;
    renderAnswers(s);
  }

  /* The right-hand side: the kind's picture while voting; its results (or why there are none),
     the rounds side by side, the role split and the wall of reasons once revealed. */
  function renderAnswers(s) {
    const d = s.dilemma;
    if (!d || s.phase === "lobby" || s.phase === "ended") return;
    const kind = kindOf(d);
    const revealed = s.phase === "revealed";
    const r = s.results;
    $("d-options").hidden = revealed;
    $("d-bars").hidden = !revealed;
    if (!revealed) {
      kind.preview($("d-options"), d, r);
      $("d-bars").replaceChildren(); // animate again on the next reveal
      delete $("d-bars").dataset.layout;
      ["d-roles", "d-wall", "moved"].forEach((id) => { $(id).hidden = true; });
      return;
    }
    if (!r) return;
    const box = $("d-bars");
    if (r.suppressed) {
      box.dataset.layout = "suppressed";
      box.replaceChildren(el("p", { class: "suppressed", text: t("suppressed") }));
      ["d-roles", "d-wall", "moved"].forEach((id) => { $(id).hidden = true; });
      return;
    }
    const ctx = { dilemma: d, mine: null, valueLabels: s.value_labels };
    const compare = !!(r.previous && !r.previous.suppressed);
    const layout = (compare ? "compare:" : "single:") + d.id + ":" + r.round;
    if (box.dataset.layout !== layout) {
      box.dataset.layout = layout;
      if (compare) {
        box.replaceChildren(el("div", { class: "rounds" }, [r.previous.round, r.round].map((n, i) => el("section", { class: "round-panel" + (i ? " round-now" : "") }, [
          el("h2", { class: "panel-heading", text: t("round_n", { n }) }),
          el("div", { class: "round-view", "data-round": String(n) }),
        ]))));
      } else {
        box.replaceChildren(el("div", { class: "round-view", "data-round": String(r.round) }));
      }
    }
    const views = box.querySelectorAll(".round-view");
    if (compare) kind.results(views[0], r.previous, ctx);
    kind.results(views[views.length - 1], r, ctx);
    const moved = $("moved");
    moved.hidden = typeof r.moved !== "number";
    if (!moved.hidden) moved.textContent = W.tn("moved", r.moved);
    renderRoles(kind, r, ctx);
    renderWall(kind, r, d);
  }

  const ROLE_ORDER = ["leader", "employee", "other"];
  function renderRoles(kind, r, ctx) {
    const section = $("d-roles");
    const groups = r.by_role || {};
    const present = ROLE_ORDER.filter((role) => groups[role]);
    section.hidden = !present.length || !kind.split;
    if (section.hidden) return;
    const names = W.names("role_groups");
    $("role-columns").replaceChildren(...present.map((role) => {
      const view = el("div", { class: "role-view" });
      kind.split(view, groups[role], ctx);
      return el("section", { class: "role-column", "data-role": role }, [
        el("h3", {}, [el("span", { text: names[role] || role }), " ", el("span", { class: "role-n", text: W.tn("answers", groups[role].total) })]),
        view,
      ]);
    }));
  }

  /* The reasons (grouped by the option they belong to) or the text answers, newest first. */
  const WALL_MAX = 12;
  const WALL_PER_GROUP = 4;
  function renderWall(kind, r, d) {
    const section = $("d-wall");
    const texts = (r.texts || []).slice().reverse();
    section.hidden = !texts.length;
    const body = $("wall-body");
    if (!texts.length) { body.replaceChildren(); return; }
    const grouped = texts.some((x) => x.option !== undefined && kind.group(d, x.option));
    $("wall-heading").textContent = kind.wall === "answers" ? t("wall_texts") : t("wall_reasons");
    const card = (x) => el("li", { class: "wall-card", "data-text": x.id }, [el("span", { text: x.text })]);
    if (!grouped) {
      body.replaceChildren(el("ul", { class: "wall-list" }, texts.slice(0, WALL_MAX).map(card)));
      return;
    }
    const groups = new Map();
    texts.forEach((x) => {
      const g = kind.group(d, x.option);
      if (!g) return;
      if (!groups.has(x.option)) groups.set(x.option, { g, items: [] });
      groups.get(x.option).items.push(x);
    });
    const sorted = Array.from(groups.values()).sort((a, b) => a.g.order - b.g.order);
    body.replaceChildren(el("div", { class: "wall-groups", "data-groups": String(sorted.length) }, sorted.map(({ g, items }) => el("section", { class: "wall-group", "data-tone": g.tone || null }, [
      el("h3", {}, [el("span", { class: "wall-mark", text: g.mark }), " ", el("span", { text: g.label })]),
      el("ul", { class: "wall-list" }, items.slice(0, sorted.length > 3 ? 2 : WALL_PER_GROUP).map(card)),
    ]))));
  }

  /* At the end: which values the chosen answers served ("what did we stand for today?"). */
  function renderProfile(s) {
    const profile = s.phase === "ended" && Array.isArray(s.profile) ? s.profile.filter((p) => p.n > 0) : [];
    $("profile").hidden = !profile.length;
    $("s-ended").dataset.profile = String(profile.length > 0);
    if (!profile.length) return;
    const top = Math.max(...profile.map((p) => p.n));
    $("profile-bars").replaceChildren(...profile.slice(0, 8).map((p) => {
      const fill = el("span", { class: "profile-fill" });
      fill.style.width = (p.n * 100) / top + "%";
      return el("li", { "data-value": p.value }, [
        el("span", { class: "profile-label", text: p.label }),
        el("span", { class: "profile-track", "aria-hidden": "true" }, [fill]),
        el("span", { class: "profile-n", text: W.tn("choices", p.n) }),
      ]);
    }));
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
  }

  /* Shrink the type until the dilemma fits the screen (long texts, six long options, 720p);
     where a wall of reasons would still not fit, it shows fewer of them (the newest stay). */
  let fitFrame = 0;
  function fit() {
    cancelAnimationFrame(fitFrame);
    fitFrame = requestAnimationFrame(() => {
      let scale = 1;
      stage.style.setProperty("--fit", "1");
      stage.classList.remove("dense");
      const over = () => stage.scrollHeight > stage.clientHeight + 1
        || ["stage-text", "stage-answers"].some((id) => { const n = $(id); return n.offsetParent && n.scrollHeight > n.clientHeight + 1; });
      const shrink = (floor) => {
        while (over() && scale > floor) {
          scale = Math.round((scale - 0.04) * 100) / 100;
          stage.style.setProperty("--fit", String(scale));
        }
      };
      const cards = () => Array.from(document.querySelectorAll("#wall-body .wall-card"));
      const drop = (keep) => {
        while (over() && cards().length > keep) {
          // the oldest card of the fullest group goes first; a group left empty goes with it
          const lists = Array.from(document.querySelectorAll("#wall-body .wall-list")).sort((a, b) => b.children.length - a.children.length);
          lists[0].lastElementChild.remove();
          if (!lists[0].children.length) (lists[0].closest(".wall-group") || lists[0]).remove();
        }
      };
      shrink(0.8);
      drop(2);
      shrink(0.56);
      if (over()) stage.classList.add("dense"); // one line per option label in the round panels
      drop(0);
      if (!cards().length) $("d-wall").hidden = true; // no room for even one: the numbers come first
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
