/* Shared helpers for the three views. No framework; every user text goes in via textContent. */
(function () {
  "use strict";
  const strings = JSON.parse(document.getElementById("i18n").textContent || "{}");

  function t(key, vars) {
    let s = strings[key] || key;
    Object.entries(vars || {}).forEach(([k, v]) => { s = s.split("%(" + k + ")s").join(String(v)); });
    return s;
  }

  function errorText(error) {
    if (!error) return t("errors").internal_error;
    return (strings.errors && strings.errors[error.code]) || error.message || error.code;
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
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  /* Whole percentages that add up to 100 (largest remainder), as the exports compute them. */
  function percentages(counts, order) {
    const total = order.reduce((sum, id) => sum + (counts[id] || 0), 0);
    const out = {};
    if (!total) { order.forEach((id) => { out[id] = 0; }); return out; }
    const exact = order.map((id) => [id, (counts[id] || 0) * 100 / total]);
    exact.forEach(([id, x]) => { out[id] = Math.floor(x); });
    let short = 100 - Object.values(out).reduce((a, b) => a + b, 0);
    exact.slice().sort((a, b) => (b[1] - Math.floor(b[1])) - (a[1] - Math.floor(a[1])))
      .forEach(([id]) => { if (short > 0) { out[id] += 1; short -= 1; } });
    return out;
  }

  /* Bars for a dilemma's results; `mine` marks the viewer's own option. */
  function renderBars(list, dilemma, results, mine, valueLabels) {
    const counts = (results && results.counts) || {};
    const order = dilemma.options.map((o) => o.id);
    const shares = percentages(counts, order);
    const existing = list.querySelectorAll("li[data-option]");
    const fresh = existing.length !== order.length || list.dataset.dilemma !== dilemma.id;
    if (fresh) {
      list.replaceChildren();
      list.dataset.dilemma = dilemma.id;
      dilemma.options.forEach((o, i) => {
        const values = valueLabels && o.values.length
          ? el("span", { class: "values" }, o.values.map((v) => el("span", { class: "pill", text: valueLabels[v] || v })))
          : "";
        list.append(el("li", { "data-option": o.id }, [
          el("div", { class: "bar-label" }, [
            el("span", { text: String.fromCharCode(65 + i) + ". " + o.label }),
            el("span", { class: "bar-num" }),
          ]),
          el("div", { class: "bar-track", "aria-hidden": "true" }, [el("div", { class: "bar-fill" })]),
          values,
        ]));
      });
    }
    list.querySelectorAll("li[data-option]").forEach((li) => {
      const id = li.dataset.option;
      const n = counts[id] || 0;
      li.classList.toggle("bar-mine", mine === id);
      li.querySelector(".bar-num").textContent = n + " · " + shares[id] + " %";
      const fill = li.querySelector(".bar-fill");
      requestAnimationFrame(() => { fill.style.width = shares[id] + "%"; });
    });
  }

  function connectionIndicator(socket, node) {
    function set(state, key) { node.dataset.state = state; node.textContent = t(key); }
    socket.on("connect", () => set("online", "online"));
    socket.on("disconnect", () => set("offline", "offline"));
    socket.io.on("reconnect_attempt", () => set("offline", "offline"));
    socket.on("connect_error", () => set("offline", "offline"));
  }

  function csrfToken() {
    const meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  /* JSON API call with the logged-in cookie and the CSRF token. Rejects with {code, message}. */
  async function api(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw { code: "offline", message: t("offline") };
    }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw (data && data.error) || { code: "internal_error", message: String(response.status) };
    return data;
  }

  function newSocket() {
    // Same origin. Long-polling first, upgraded to a websocket where the venue's network allows.
    return io({ reconnectionDelayMax: 4000 });
  }

  window.Workshop = { t, errorText, $, el, percentages, renderBars, connectionIndicator, api, newSocket };
})();
