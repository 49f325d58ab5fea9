/* A quick question typed on the console while the room talks (command `add`): a choice with
   2–6 options, a 5- or 7-point scale with optional end labels, or an open text. The server
   checks it; errors come back in the user's language (console.js shows them under the form). */
(function () {
  "use strict";
  const W = window.Workshop;
  const { $, el, t } = W;
  const MIN = 2;
  const MAX = 6;

  const form = $("add-form");
  if (!form) return;
  const fields = $("option-fields");
  const more = $("add-option");

  function kind() { return form.querySelector("input[name=kind]:checked").value; }

  function showError(text) { const box = $("add-error"); box.textContent = text || ""; box.hidden = !text; }

  function renumber() {
    [...fields.children].forEach((li, i) => {
      const input = li.querySelector("input");
      input.id = "add-opt-" + (i + 1);
      li.querySelector("label").setAttribute("for", input.id);
      li.querySelector("label").textContent = t("option_n", { n: W.letter(i) });
      const remove = li.querySelector("button");
      remove.hidden = fields.children.length <= MIN;
      remove.setAttribute("aria-label", t("remove_option", { n: W.letter(i) }));
    });
    more.hidden = fields.children.length >= MAX;
  }

  function addField(value) {
    const input = el("input", { type: "text", maxlength: "120", autocomplete: "off", lang: $("add-title-input").getAttribute("lang") });
    input.value = value || "";
    const remove = el("button", { class: "btn btn-quiet btn-small", type: "button", text: "×" });
    const li = el("li", { class: "option-field" }, [el("label", {}), el("span", { class: "option-row" }, [input, remove])]);
    remove.addEventListener("click", () => { li.remove(); renumber(); fields.querySelector("input").focus(); });
    fields.append(li);
    renumber();
    return input;
  }

  function reset() {
    form.reset();
    fields.replaceChildren();
    for (let i = 0; i < MIN; i++) addField("");
    showKind();
  }

  function showKind() {
    const k = kind();
    form.querySelectorAll("fieldset[data-kind]").forEach((f) => { f.hidden = f.dataset.kind !== k; });
  }

  function collect() {
    const k = kind();
    const title = $("add-title-input").value.trim();
    const question = $("add-question").value.trim();
    const spec = { kind: k, title, question };
    if (!title) return { error: t("add_need_title"), focus: $("add-title-input") };
    if (!question) return { error: t("add_need_question"), focus: $("add-question") };
    if (k === "choice") {
      const inputs = [...fields.querySelectorAll("input")];
      const labels = inputs.map((i) => i.value.trim()).filter(Boolean);
      if (labels.length < MIN) return { error: t("add_need_options"), focus: inputs.find((i) => !i.value.trim()) || inputs[0] };
      spec.options = labels;
    } else if (k === "scale") {
      const points = Number(form.querySelector("input[name=points]:checked").value);
      spec.scale = { points };
      const low = $("add-low").value.trim();
      const high = $("add-high").value.trim();
      if (low) spec.scale.low = low;
      if (high) spec.scale.high = high;
    }
    return { spec };
  }

  form.querySelectorAll("input[name=kind]").forEach((r) => r.addEventListener("change", showKind));
  more.addEventListener("click", () => addField("").focus());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const app = W.consoleApp;
    const { spec, error, focus } = collect();
    if (error) { showError(error); if (focus) focus.focus(); return; }
    const button = $("add-submit");
    button.disabled = true;
    try {
      const view = await W.api("POST", "/api/sessions/" + $("console").dataset.session + "/commands", { command: "add", dilemma: spec });
      showError("");
      reset();
      $("add-details").open = false;
      W.toast(t("add_done"));
      if (app && app.render) app.render(view);
    } catch (err) {
      showError(W.errorText(err));
    } finally {
      button.disabled = false;
    }
  });

  reset();
})();
