/* The scale kind in the browser: agree-disagree on 5 or 7 points. The phone shows a row of big
   numbered targets between the end labels; results are a diverging bar (disagree to the left,
   agree to the right, neutral across the centre) with the mean and the median. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { el, t } = W;

  /* Colour steps from the centre: 5 points use the outer and inner step, 7 use all three. */
  const TONES = { 5: ["d3", "d1", "n", "a1", "a3"], 7: ["d3", "d2", "d1", "n", "a1", "a2", "a3"] };
  function points(d) { return d.scale.points; }
  function tone(d, p) { return (TONES[points(d)] || TONES[5])[p - 1] || "n"; }
  function range(n) { return Array.from({ length: n }, (_, i) => i + 1); }
  function pointName(d, p) {
    if (p === 1) return p + " – " + d.scale.low;
    if (p === points(d)) return p + " – " + d.scale.high;
    return String(p);
  }

  /* The shares: the server's percentages where given, else each count's share (drawn only). */
  function shares(d, results) {
    const counts = results.counts || {};
    const total = results.total || Object.values(counts).reduce((a, b) => a + b, 0);
    const out = {};
    range(points(d)).forEach((p) => {
      const k = String(p);
      out[k] = results.percentages ? results.percentages[k] || 0 : total ? ((counts[k] || 0) * 100) / total : 0;
    });
    return out;
  }

  /* The diverging bar: each half of the track stands for 100 %. */
  function diverging(d, pct, withNumbers) {
    const n = points(d);
    const mid = (n + 1) / 2;
    const low = el("div", { class: "half half-low" });
    const high = el("div", { class: "half half-high" });
    function seg(p, width, label) {
      const node = el("span", { class: "seg", "data-tone": tone(d, p), "data-point": String(p), text: label || null });
      node.style.width = width + "%";
      return node;
    }
    range(n).forEach((p) => {
      const share = pct[String(p)] || 0;
      // A half of the track is 100 %, so a share takes half its number in width: label only what fits.
      const label = withNumbers && share >= 22 ? W.formatPercent(Math.round(share)) : "";
      if (p < mid) low.append(seg(p, share, label));
      else if (p > mid) high.append(seg(p, share, label));
    });
    const neutral = pct[String(mid)] || 0; // straddles the centre line
    low.append(seg(mid, neutral / 2));
    high.prepend(seg(mid, neutral / 2));
    return el("div", { class: "diverge", "aria-hidden": "true" }, [low, high, el("span", { class: "diverge-centre" })]);
  }

  function ends(d) {
    return el("div", { class: "scale-ends" }, [
      el("span", { class: "end-low", text: "← " + d.scale.low }),
      el("span", { class: "end-high", text: d.scale.high + " →" }),
    ]);
  }

  const scale = {
    /* The phone: one big target per point, the end labels under the ends. */
    answer(box, ctx) {
      const d = ctx.dilemma;
      const n = points(d);
      const key = d.id + "#" + (ctx.round || 1); // a new round starts from an empty answer
      if (box.dataset.key !== key) {
        box.dataset.key = key;
        const row = el("div", { class: "scale-row", role: "group", "aria-labelledby": "dilemma-question", "data-points": String(n) },
          range(n).map((p) => el("button", {
            class: "scale-point", type: "button", "data-value": String(p), "data-tone": tone(d, p),
            "aria-pressed": "false", "aria-label": pointName(d, p),
          }, [el("span", { text: String(p) })])));
        row.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => box._ctx.send({ value: Number(b.dataset.value) })));
        box.replaceChildren(row, el("div", { class: "scale-ends", "aria-hidden": "true" }, [
          el("span", { class: "end-low", text: d.scale.low }),
          el("span", { class: "end-high", text: d.scale.high }),
        ]));
      }
      box._ctx = ctx;
      const mine = ctx.mine ? ctx.mine.value : null;
      box.querySelectorAll("button").forEach((b) => {
        const chosen = Number(b.dataset.value) === mine;
        b.setAttribute("aria-pressed", String(chosen));
        b.dataset.pending = String(!!ctx.pending && chosen);
        b.disabled = !ctx.voting;
      });
    },

    said(dilemma, mine) { return mine && mine.value ? String(mine.value) : ""; },

    group(dilemma, key) {
      const p = Number(key);
      if (!(p >= 1 && p <= points(dilemma))) return null;
      const label = p === 1 ? dilemma.scale.low : p === points(dilemma) ? dilemma.scale.high : "";
      return { mark: String(p), label, order: p, tone: tone(dilemma, p) };
    },

    /* The projector while voting: the scale the phones show. */
    preview(box, dilemma) {
      if (box.dataset.dilemma === dilemma.id && box.dataset.view === "preview") return;
      box.dataset.dilemma = dilemma.id;
      box.dataset.view = "preview";
      box.replaceChildren(el("div", { class: "scale-preview" }, [
        el("ol", { class: "scale-row" }, range(points(dilemma)).map((p) => el("li", { class: "scale-point", "data-tone": tone(dilemma, p), text: String(p) }))),
        el("div", { class: "scale-ends" }, [
          el("span", { class: "end-low", text: dilemma.scale.low }),
          el("span", { class: "end-high", text: dilemma.scale.high }),
        ]),
      ]));
    },

    /* The distribution as a diverging bar, a legend per point and the mean and median. */
    results(box, results, ctx) {
      const d = ctx.dilemma;
      const pct = shares(d, results);
      const counts = results.counts || {};
      const mine = ctx.mine ? ctx.mine.value : null;
      const summary = range(points(d)).map((p) => pointName(d, p) + ": " + W.formatPercent(pct[String(p)] || 0)).join(", ");
      box.replaceChildren(el("div", { class: "scale-result", role: "img", "aria-label": summary }, [
        ends(d),
        diverging(d, pct, true),
        el("ol", { class: "scale-legend", "aria-hidden": "true" }, range(points(d)).map((p) => el("li", { class: p === mine ? "legend-mine" : null }, [
          el("span", { class: "swatch", "data-tone": tone(d, p) }),
          el("strong", { class: "legend-point", text: String(p) }),
          el("span", { class: "legend-share", text: W.formatPercent(pct[String(p)] || 0) }),
          el("span", { class: "legend-n", text: W.tn("answers", counts[String(p)] || 0) }),
          p === mine ? el("span", { class: "mine-tag", text: t("your_answer") }) : null,
        ]))),
        el("p", { class: "scale-stats" }, [
          el("span", {}, [t("scale_mean") + " ", el("strong", { class: "scale-mean", text: W.formatDecimal(results.mean) })]),
          el("span", {}, [t("scale_median") + " ", el("strong", { class: "scale-median", text: W.formatDecimal(results.median) })]),
        ]),
      ]));
    },

    /* One role's answers: the diverging bar of its counts and its mean-free count line. */
    split(box, group, ctx) {
      const d = ctx.dilemma;
      box.replaceChildren(el("div", { class: "scale-split" }, [diverging(d, shares(d, { counts: group.counts, total: group.total }), false)]));
    },
  };

  (W.kinds = W.kinds || {}).scale = scale;
})();
