/* The choice kind in the browser: 2-6 options as big buttons on the phone, bars once revealed.
   Registers itself in Workshop.kinds; phone.js and screen.js ask the registry, never the name. */
(function () {
  "use strict";
  const W = window.Workshop;
  const { el, t } = W;

  function optionIndex(dilemma, id) { return dilemma.options.findIndex((o) => o.id === id); }

  const choice = {
    /* The phone's answer controls: one full-width button per option. `ctx.send({option})` answers. */
    answer(box, ctx) {
      const d = ctx.dilemma;
      const key = d.id + "#" + (ctx.round || 1); // a new round starts from an empty answer
      if (box.dataset.key !== key) {
        box.dataset.key = key;
        const list = el("ul", { class: "options", "aria-labelledby": "dilemma-question" }, d.options.map((o, i) => el("li", {}, [
          el("button", { class: "option", type: "button", "data-option": o.id, "aria-pressed": "false" }, [
            el("span", { class: "mark", "aria-hidden": "true", text: W.letter(i) }),
            el("span", { class: "option-text" }, [
              el("span", { text: o.label }),
              el("span", { class: "chosen", text: t("your_answer") }),
            ]),
          ]),
        ])));
        list.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => box._ctx.send({ option: b.dataset.option })));
        box.replaceChildren(list);
      }
      box._ctx = ctx;
      const mine = ctx.mine ? ctx.mine.option : null;
      box.querySelectorAll("button").forEach((b) => {
        b.setAttribute("aria-pressed", String(b.dataset.option === mine));
        b.dataset.pending = String(!!ctx.pending && b.dataset.option === mine);
        b.disabled = !ctx.voting;
      });
    },

    /* A short name for an answer in the confirmation ("B"). */
    said(dilemma, mine) {
      const i = mine ? optionIndex(dilemma, mine.option) : -1;
      return i >= 0 ? W.letter(i) : "";
    },

    /* What a reason's `option` key stands for on the wall. */
    group(dilemma, key) {
      const i = optionIndex(dilemma, key);
      return i >= 0 ? { mark: W.letter(i), label: dilemma.options[i].label, order: i } : null;
    },

    /* The projector while voting: the options, lettered as on the phones. */
    preview(box, dilemma) {
      if (box.dataset.dilemma === dilemma.id && box.dataset.view === "preview") return;
      box.dataset.dilemma = dilemma.id;
      box.dataset.view = "preview";
      box.replaceChildren(el("ol", { class: "screen-options" }, dilemma.options.map((o, i) => el("li", {}, [
        el("span", { class: "letter", "aria-hidden": "true", text: W.letter(i) }),
        el("span", { text: o.label }),
      ]))));
    },

    /* Results: bars with the server's percentages (`ctx.mine` marks the viewer's own option). */
    results(box, results, ctx) {
      let list = box.querySelector(":scope > ul.bars");
      if (!list) { list = el("ul", { class: "bars" }); box.replaceChildren(list); }
      W.renderBars(list, ctx.dilemma, results, ctx.mine ? ctx.mine.option : null, ctx.valueLabels);
    },

    /* One role's answers beside the others': counts only (the server gives no per-role shares). */
    split(box, group, ctx) {
      const d = ctx.dilemma;
      const counts = group.counts || {};
      box.replaceChildren(el("ul", { class: "mini-bars" }, d.options.map((o, i) => {
        const n = counts[o.id] || 0;
        const fill = el("span", { class: "mini-fill" });
        fill.style.width = (group.total ? (n * 100) / group.total : 0) + "%"; // the role's own share, drawn only
        return el("li", { "data-option": o.id }, [
          el("span", { class: "mini-letter", text: W.letter(i) }),
          el("span", { class: "mini-track", "aria-hidden": "true" }, [fill]),
          el("span", { class: "mini-num", text: W.formatNumber(n) }),
        ]);
      })));
    },
  };

  (W.kinds = W.kinds || {}).choice = choice;
})();
