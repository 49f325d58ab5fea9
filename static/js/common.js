/* Shared helpers for the three views. No framework; every user text goes in via textContent. */
(function () {
  "use strict";
  const strings = JSON.parse(document.getElementById("i18n").textContent || "{}");
  const uiLang = document.documentElement.lang || "da";
  const reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");

  function fill(s, vars) {
    Object.entries(vars || {}).forEach(([k, v]) => { s = s.split("%(" + k + ")s").join(String(v)); });
    return s;
  }

  /* A translated interface string (from the server's catalogue) with %(name)s placeholders filled. */
  function t(key, vars) {
    const s = strings[key];
    return fill(typeof s === "string" ? s : key, vars);
  }

  /* A table of translated names (phases, commands). */
  function names(key) { return strings[key] || {}; }

  /* A plural string: the server sends [one, other] for each; `n` fills %(n)s. */
  function tn(key, n, vars) {
    const forms = strings[key] || [key, key];
    return fill(n === 1 ? forms[0] : forms[1], Object.assign({ n: formatNumber(n) }, vars || {}));
  }

  function formatNumber(n) {
    try { return new Intl.NumberFormat(uiLang).format(n); } catch (e) { return String(n); }
  }

  function formatPercent(p) {
    try { return new Intl.NumberFormat(uiLang, { style: "percent", maximumFractionDigits: 0 }).format(p / 100); } catch (e) { return p + " %"; }
  }

  /* A mean or a median: one decimal at most, "–" where there is none. */
  function formatDecimal(x) {
    if (x === null || x === undefined) return "–";
    try { return new Intl.NumberFormat(uiLang, { maximumFractionDigits: 1 }).format(x); } catch (e) { return String(x); }
  }

  function errorText(error) {
    const errors = strings.errors || {};
    if (!error) return errors.internal_error || "Error";
    return errors[error.code] || error.message || error.code;
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach((c) => { if (c !== null && c !== undefined && c !== "") node.append(c); });
    return node;
  }

  function letter(i) { return String.fromCharCode(65 + i); }

  function motionOK() { return !(reducedMotion && reducedMotion.matches); }

  /* Count a number up (or down) to `to`; at once when the user prefers reduced motion. */
  function animateNumber(node, to, format) {
    const show = format || formatNumber;
    const from = Number(node.dataset.value || 0);
    node.dataset.value = String(to);
    if (from === to && node.textContent !== "") { node.textContent = show(to); return; }
    if (!motionOK() || document.hidden) { node.textContent = show(to); return; }
    const start = performance.now();
    const duration = 450;
    cancelAnimationFrame(Number(node.dataset.frame || 0));
    function step(now) {
      const k = Math.min(1, (now - start) / duration);
      const eased = 1 - Math.pow(1 - k, 3);
      node.textContent = show(Math.round(from + (to - from) * eased));
      if (k < 1) node.dataset.frame = String(requestAnimationFrame(step));
    }
    node.dataset.frame = String(requestAnimationFrame(step));
  }

  /* Bars for a dilemma's results; `mine` marks the viewer's own option. Widths animate from 0. */
  function renderBars(list, dilemma, results, mine, valueLabels) {
    const counts = (results && results.counts) || {};
    const shares = (results && results.percentages) || {}; // the server's, as in the exports
    const order = dilemma.options.map((o) => o.id);
    const top = Math.max(0, ...order.map((id) => counts[id] || 0));
    const fresh = list.dataset.dilemma !== dilemma.id || list.querySelectorAll("li[data-option]").length !== order.length;
    if (fresh) {
      list.replaceChildren();
      list.dataset.dilemma = dilemma.id;
      dilemma.options.forEach((o, i) => {
        const values = valueLabels && o.values && o.values.length
          ? el("span", { class: "values" }, o.values.map((v) => el("span", { class: "pill", text: valueLabels[v] || v })))
          : null;
        list.append(el("li", { "data-option": o.id, class: "bar" }, [
          el("div", { class: "bar-text" }, [
            el("span", { class: "bar-letter", text: letter(i) }),
            el("span", { class: "bar-label", text: o.label }),
            el("span", { class: "mine-tag", text: t("your_answer"), hidden: true }),
          ]),
          el("div", { class: "bar-track", "aria-hidden": "true" }, [el("div", { class: "bar-fill" })]),
          el("span", { class: "bar-num" }),
          values,
        ]));
      });
    }
    list.querySelectorAll("li[data-option]").forEach((li) => {
      const id = li.dataset.option;
      const n = counts[id] || 0;
      li.classList.toggle("bar-mine", mine === id);
      li.classList.toggle("bar-lead", top > 0 && n === top);
      li.querySelector(".mine-tag").hidden = mine !== id;
      li.querySelector(".bar-num").textContent = tn("votes", n) + " · " + formatPercent(shares[id] || 0);
      const fill = li.querySelector(".bar-fill");
      const width = (shares[id] || 0) + "%";
      if (fresh) {
        void fill.offsetWidth; // start from 0 so the first reveal animates
        requestAnimationFrame(() => { fill.style.width = width; });
      } else {
        fill.style.width = width;
      }
    });
  }

  /* A Socket.IO connection that shows its state in `indicator`, reconnects by itself and calls
     `onConnect` after every (re)connect and whenever the page comes back (sleep, tab switch),
     so the view resyncs from a fresh server snapshot. */
  function liveSocket(indicator, onConnect) {
    // Same origin. The websocket first: one connection for the page's life, which a proxy may
    // send to any server process (docs/deployment.md). Where the venue's network or a proxy
    // refuses websockets, tryAllTransports falls back to long-polling.
    const socket = io({
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    function set(state, key) {
      if (!indicator) return;
      if (indicator.dataset.state === state) return;
      indicator.dataset.state = state;
      indicator.textContent = t(key);
    }
    let everConnected = false;
    socket.on("connect", () => { everConnected = true; set("online", "online"); onConnect(); });
    socket.on("disconnect", (reason) => {
      set("offline", "offline");
      // The server dropped us on purpose (e.g. a restart): socket.io does not retry that itself.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 500);
    });
    socket.io.on("reconnect_attempt", () => set("offline", everConnected ? "offline" : "connecting"));
    socket.on("connect_error", () => set("offline", everConnected ? "offline" : "connecting"));

    function reconnectNow() {
      // Skip the back-off wait: close the manager and open it again at once.
      socket.disconnect();
      socket.connect();
    }
    function wake() {
      if (document.visibilityState === "hidden") return;
      if (socket.connected) onConnect(); else reconnectNow();
    }
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", wake);
    window.addEventListener("pageshow", (e) => { if (e.persisted) wake(); });
    socket.reconnectNow = reconnectNow;
    Workshop.socket = socket; // for the browser tests and for debugging in the room
    return socket;
  }

  /* Say something to screen-reader users without moving focus. */
  function announce(text) {
    const node = $("announce");
    if (!node) return;
    node.textContent = "";
    setTimeout(() => { node.textContent = text; }, 60);
  }

  let toastTimer = null;
  function toast(text) {
    let node = $("toast");
    if (!node) {
      node = el("div", { id: "toast", class: "toast", role: "status" });
      document.body.append(node);
    }
    node.textContent = text;
    node.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { node.hidden = true; }, 3500);
  }

  function csrfToken() {
    const meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  /* JSON API call with the logged-in cookie and the CSRF token. Rejects with {code, message}. */
  async function api(method, url, body, options) {
    let response;
    try {
      response = await fetch(url, Object.assign({
        method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }, options || {}));
    } catch (e) {
      throw { code: "offline", message: t("offline") };
    }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw (data && data.error) || { code: "internal_error", message: String(response.status) };
    return data;
  }

  /* A countdown that follows the server's clock: `set(state)` on every STATE takes its `timer`
     ({ends_at, seconds}, while voting) and the offset of this device's clock from `server_time`;
     `onTick(secondsLeft, fractionLeft)` runs four times a second until 0 (null: no timer). */
  function countdown(onTick) {
    let handle = 0;
    let ends = null;
    let total = 0;
    let offset = 0;
    function step() {
      if (ends === null) { onTick(null, 0); return; }
      const left = Math.max(0, ends - (Date.now() + offset));
      onTick(Math.ceil(left / 1000), total ? Math.min(1, left / (total * 1000)) : 0);
      if (left <= 0) { clearInterval(handle); handle = 0; }
    }
    return {
      set(state) {
        const timer = state && state.phase === "voting" ? state.timer : null;
        clearInterval(handle);
        handle = 0;
        ends = null;
        if (timer && timer.ends_at) {
          const server = Date.parse(state.server_time);
          offset = Number.isNaN(server) ? 0 : server - Date.now();
          ends = Date.parse(timer.ends_at);
          total = timer.seconds || 0;
          handle = setInterval(step, 250);
        }
        step();
      },
    };
  }

  /* Seconds as m:ss. */
  function clock(seconds) {
    const s = Math.max(0, seconds | 0);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  const Workshop = {
    t, tn, names, errorText, $, el, letter, renderBars, animateNumber, formatNumber,
    liveSocket, announce, toast, api, motionOK, uiLang,
    formatPercent, formatDecimal, countdown, clock,
    kinds: {}, // the question kinds' renderers (static/js/kinds/*.js register themselves here)
  };
  window.Workshop = Workshop;
})();
