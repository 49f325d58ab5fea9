/* The console's view of each question kind: how its results are drawn, what a reason's key
   (an option, a scale point) stands for, and its categories for the role split. console.js asks
   this registry and never the kind's name; a fourth kind adds one entry here. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { el, t, tn } = W;

  /* A list of labelled bars (one per category) that keeps its nodes between updates. */
  function barList(box, id, rows) {
    let list = box.querySelector(":scope > ul.bars");
    if (!list || list.dataset.key !== id) {
      list = el("ul", { class: "bars", "data-key": id }, rows.map((r) => el("li", { class: "bar", "data-key": r.key }, [
        el("div", { class: "bar-text" }, [
          el("span", { class: "bar-letter", text: r.mark }),
          el("span", { class: "bar-label", text: r.label }),
        ]),
        el("div", { class: "bar-track", "aria-hidden": "true" }, [el("div", { class: "bar-fill" })]),
        el("span", { class: "bar-num" }),
      ])));
      box.replaceChildren(list);
    }
    const top = Math.max(0, ...rows.map((r) => r.n));
    rows.forEach((r) => {
      const li = list.querySelector(`li[data-key="${CSS.escape(r.key)}"]`);
      if (!li) return;
      li.classList.toggle("bar-lead", top > 0 && r.n === top);
      li.querySelector(".bar-num").textContent = tn("votes", r.n) + " · " + W.formatPercent(r.share);
      li.querySelector(".bar-fill").style.width = r.share + "%";
    });
    return list;
  }

  const choice = {
    keys(d) { return d.options.map((o, i) => ({ key: o.id, mark: W.letter(i), label: o.label })); },
    label(d, key) {
      const i = d.options.findIndex((o) => o.id === key);
      return i < 0 ? null : W.letter(i) + ": " + d.options[i].label;
    },
    results(box, r, d) {
      const counts = r.counts || {};
      const shares = r.percentages || {};
      barList(box, d.id + ":choice", choice.keys(d).map((k) => Object.assign(k, { n: counts[k.key] || 0, share: shares[k.key] || 0 })));
    },
  };

  const scale = {
    keys(d) {
      const n = d.scale ? d.scale.points : 5;
      return Array.from({ length: n }, (_, i) => {
        const p = i + 1;
        const end = p === 1 ? d.scale.low : p === n ? d.scale.high : "";
        return { key: String(p), mark: String(p), label: end };
      });
    },
    label(d, key) {
      const k = scale.keys(d).find((x) => x.key === String(key));
      return k ? (k.label ? k.mark + ": " + k.label : k.mark) : null;
    },
    results(box, r, d) {
      const counts = r.counts || {};
      const shares = r.percentages || {};
      let bars = box.querySelector(":scope > .scale-bars");
      let stats = box.querySelector(":scope > .scale-stats");
      if (!bars) {
        bars = el("div", { class: "scale-bars" });
        stats = el("p", { class: "scale-stats" });
        box.replaceChildren(bars, stats);
      }
      barList(bars, d.id + ":scale", scale.keys(d).map((k) => Object.assign(k, { n: counts[k.key] || 0, share: shares[k.key] || 0 })));
      stats.replaceChildren(
        el("span", {}, [t("mean") + " ", el("strong", { class: "num", "data-stat": "mean", text: W.formatDecimal(r.mean) })]),
        el("span", {}, [t("median") + " ", el("strong", { class: "num", "data-stat": "median", text: W.formatDecimal(r.median) })]),
      );
    },
  };

  const text = {
    keys() { return []; },
    label() { return null; },
    results(box, r) {
      const words = r.words || [];
      if (!words.length) {
        box.replaceChildren(el("p", { class: "muted", text: t("no_words") }));
        return;
      }
      const top = words[0][1] || 1;
      box.replaceChildren(
        el("p", { class: "muted small", text: t("words_title") }),
        el("ol", { class: "word-list" }, words.map(([word, n]) => {
          const li = el("li", { "data-word": word }, [el("span", { class: "word", text: word }), el("span", { class: "word-n num", text: W.formatNumber(n) })]);
          li.style.setProperty("--weight", String(0.85 + (0.6 * n) / top));
          return li;
        })),
      );
    },
  };

  W.consoleKinds = { choice, scale, text };
})();
