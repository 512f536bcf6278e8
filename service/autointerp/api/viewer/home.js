"use strict";
// Home: explanation search (its query lives in the URL, so back and reload keep it) and the
// models with links to their layers.

function hitItem(hit) {
  const score = `score ${fmt(hit.correlation)} (random-only ${fmt(hit.random_only_correlation)})`;
  return el(
    "li",
    { class: "hit" },
    link(views.neuron(hit.model, hit.layer, hit.index), hit.explanation, { class: "hit-link" }),
    el("div", {
      class: "meta",
      text: [
        hit.model,
        `layer ${hit.layer}`,
        `neuron ${hit.index}`,
        score,
        `${hit.kind} by ${hit.explainer || "–"}`,
      ].join(" · "),
    }),
  );
}

async function showResults(container, params) {
  const list = el("ol", { class: "hits" });
  const summary = el("p", { class: "meta", text: "Searching…" });
  const more = el("button", { type: "button", text: "More results", hidden: true });
  container.replaceChildren(summary, list, more);
  let cursor = null;
  const load = async () => {
    const found = await api(`/v1/explanations/search${query({ ...params, cursor, limit: 20 })}`);
    list.append(...found.hits.map(hitItem));
    summary.textContent = found.total
      ? `${found.total} matching explanation${found.total === 1 ? "" : "s"}`
      : "No explanation matches.";
    cursor = found.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => load().catch((error) => showError(error, container)));
  await load();
}

function searchForm(params, models) {
  const modelSelect = el(
    "select",
    { name: "model" },
    el("option", { value: "", text: "all models" }),
  );
  for (const model of models) {
    modelSelect.append(el("option", { value: model.name, text: model.name }));
  }
  modelSelect.value = params.model || "";
  const sort = el(
    "select",
    { name: "sort" },
    el("option", { value: "relevance", text: "by relevance" }),
    el("option", { value: "score", text: "by score" }),
  );
  sort.value = params.sort || "relevance";
  const input = el("input", {
    type: "search",
    name: "q",
    id: "q",
    placeholder: 'Search explanations: words or "quoted phrases"',
  });
  input.value = params.q || "";
  // A plain GET form: the query becomes this page's URL.
  return el(
    "form",
    { class: "search", method: "get", action: "/", role: "search" },
    input,
    modelSelect,
    sort,
    el("button", { type: "submit", text: "Search" }),
  );
}

function modelTable(models) {
  const rows = models.map((model) => {
    const layers = el("div", { class: "layers" });
    for (let layer = 0; layer < (model.layers || 0); layer++) {
      layers.append(link(views.layer(model.name, layer), String(layer)));
    }
    const state = model.available ? "" : ` (unavailable: ${model.unavailable_reason || "?"})`;
    return el(
      "tr",
      {},
      el("td", { text: model.name }),
      el("td", { text: model.description + state }),
      el("td", { class: "num", text: model.neurons_per_layer ?? "–" }),
      el("td", {}, layers),
    );
  });
  return el(
    "table",
    { class: "models" },
    el(
      "thead",
      {},
      el("tr", {}, ...["model", "", "neurons/layer", "layers"].map((t) => el("th", { text: t }))),
    ),
    el("tbody", {}, rows),
  );
}

onPage(async (main) => {
  setCrumbs([{ text: "search" }]);
  const url = new URLSearchParams(window.location.search);
  const params = {
    q: url.get("q") || "",
    model: url.get("model") || "",
    sort: url.get("sort") || "",
  };
  const results = el("div", { id: "results" });
  const modelsBox = el("div", { id: "models" }, el("p", { class: "meta", text: "Loading…" }));
  main.append(
    section("Search explanations", el("div", { id: "search-box" }), results),
    section("Models", modelsBox),
  );
  let models = [];
  try {
    models = await api("/v1/models");
    modelsBox.replaceChildren(modelTable(models));
  } catch (error) {
    showError(error, modelsBox);
  }
  document.getElementById("search-box").replaceChildren(searchForm(params, models));
  if (params.q || params.model || params.sort) {
    await showResults(results, params).catch((error) => showError(error, results));
  }
});
