/* The text kind in the browser: an open reflection of at most 280 characters. The phone shows a
   text field with a live counter; results are a word cloud of the server's `words` (a flex-wrap
   of weighted words: readable from the back of the room, no layout library needed). The text
   wall itself is screen.js's (it is the same for reasons of every kind). */
(function () {
  "use strict";
  const W = window.Workshop;
  const { el, t } = W;
  const MAX = 280;

  function cloud(words) {
    const list = (words || []).slice();
    if (!list.length) return null;
    const top = list[0][1];
    const low = list[list.length - 1][1];
    // The biggest words in the middle, the smaller ones out to both sides.
    const ordered = [];
    list.forEach((w, i) => { if (i % 2) ordered.unshift(w); else ordered.push(w); });
    return el("ul", { class: "cloud" }, ordered.map(([word, n], i) => {
      const weight = top === low ? 1 : Math.sqrt((n - low) / (top - low));
      const item = el("li", { class: "cloud-word", "data-n": String(n), "data-hue": String(i % 4) }, [
        el("span", { text: word }),
        el("span", { class: "visually-hidden", text: " (" + W.formatNumber(n) + ")" }),
      ]);
      item.style.setProperty("--w", weight.toFixed(3));
      return item;
    }));
  }

  const text = {
    wall: "answers", // the projector's wall holds the answers themselves, not reasons

    /* The phone: a text field, a live counter and a send button. `ctx.send({text})` answers. */
    answer(box, ctx) {
      const d = ctx.dilemma;
      const key = d.id + "#" + (ctx.round || 1); // a new round starts from an empty answer
      if (box.dataset.key !== key) {
        box.dataset.key = key;
        const area = el("textarea", {
          id: "text-answer", maxlength: String(MAX), rows: "5", "aria-labelledby": "dilemma-question",
          "aria-describedby": "text-count", class: "text-answer",
        });
        const count = el("p", { id: "text-count", class: "hint text-count" });
        const button = el("button", { class: "btn btn-primary btn-big btn-block", type: "submit", id: "text-send", text: t("text_send") });
        const form = el("form", { class: "text-form", id: "text-form" }, [area, count, el("div", { class: "btn-row" }, [button])]);
        function counter() {
          const left = MAX - area.value.length;
          count.textContent = t("chars_left", { n: W.formatNumber(left), max: W.formatNumber(MAX) });
          count.dataset.low = String(left <= 20);
        }
        area.addEventListener("input", counter);
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const value = area.value.trim();
          if (!value) { area.focus(); return; }
          box._ctx.send({ text: value });
        });
        area.value = ctx.mine && ctx.mine.text ? ctx.mine.text : "";
        counter();
        box.replaceChildren(form);
      }
      box._ctx = ctx;
      const area = box.querySelector("textarea");
      if (ctx.mine && ctx.mine.text && !area.value && document.activeElement !== area) {
        area.value = ctx.mine.text;
        area.dispatchEvent(new Event("input"));
      }
      area.disabled = !ctx.voting;
      box.querySelector("button").disabled = !ctx.voting || !!ctx.pending;
    },

    said() { return ""; },

    group() { return null; },

    /* The projector while voting: the cloud grows as the answers arrive. */
    preview(box, dilemma, results) {
      box.dataset.dilemma = dilemma.id;
      box.dataset.view = "preview";
      text.results(box, results || {}, { dilemma });
    },

    results(box, results, ctx) {
      box.dataset.dilemma = ctx.dilemma.id;
      const words = results && !results.suppressed ? results.words : null;
      // The projector's options box is shared by every kind: the key names the question and the
      // round too, so an empty cloud after another kind's options is drawn, not taken as unchanged.
      const key = ctx.dilemma.id + "#" + ((results && results.round) || 1) + ":" + JSON.stringify(words || []);
      if (box.dataset.words === key && box.firstChild) return; // unchanged: keep the picture still
      box.dataset.words = key;
      box.replaceChildren(cloud(words) || el("p", { class: "cloud-empty", text: t("cloud_empty") }));
    },
  };

  (W.kinds = W.kinds || {}).text = text;
})();
