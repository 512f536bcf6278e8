"use strict";
// A layer: its explained neurons (each by its best explanation), 100 a page, and the
// histogram of the best scores of all of them.

const PAGE_SIZE = 100;

function neuronRow(model, neuron) {
  return el(
    "tr",
    { dataset: { index: String(neuron.index) } },
    el(
      "td",
      { class: "num" },
      link(views.neuron(model, neuron.layer, neuron.index), String(neuron.index)),
    ),
    el("td", { class: "num", text: fmt(neuron.correlation) }),
    el("td", { class: "num", text: fmt(neuron.random_only_correlation) }),
    el("td", { text: neuron.explanation }),
    el("td", {
      class: "meta",
      text: `${neuron.explainer || "–"} / ${neuron.simulator} / ${neuron.polarity}`,
    }),
  );
}

function neuronTable(model, neurons) {
  const head = [
    "neuron",
    "score",
    "random-only",
    "explanation",
    "explainer / simulator / polarity",
  ];
  return el(
    "table",
    { class: "neurons" },
    el("thead", {}, el("tr", {}, ...head.map((text) => el("th", { text })))),
    el(
      "tbody",
      {},
      neurons.map((neuron) => neuronRow(model, neuron)),
    ),
  );
}

onPage(async (main) => {
  const { model, layer } = page();
  setCrumbs([{ text: "search", href: "/" }, { text: model }, { text: `layer ${layer}` }]);
  const url = new URLSearchParams(window.location.search);
  const state = { sort: url.get("sort") || "score", cursor: url.get("cursor"), back: [] };

  const neighbours = el("nav", { class: "neighbours" });
  if (layer > 0) neighbours.append(link(views.layer(model, layer - 1), `← layer ${layer - 1}`));
  const sort = el(
    "select",
    { name: "sort", "aria-label": "sort" },
    el("option", { value: "score", text: "best score first" }),
    el("option", { value: "neuron", text: "by neuron index" }),
  );
  sort.value = state.sort;
  const chart = el("div", { class: "chart" });
  const table = el("div", { id: "neurons" }, el("p", { class: "meta", text: "Loading…" }));
  const position = el("span", { class: "meta" });
  const previous = el("button", { type: "button", text: "← Previous", disabled: true });
  const next = el("button", { type: "button", text: "Next →", disabled: true });
  main.append(
    neighbours,
    section(`${model}, layer ${layer}`, el("div", { class: "controls" }, sort), chart),
    section("Neurons", el("div", { class: "pager" }, previous, next, position), table),
  );

  const load = async () => {
    const params = {
      layer_min: layer,
      layer_max: layer,
      sort: state.sort,
      cursor: state.cursor,
      limit: PAGE_SIZE,
    };
    const listing = await api(`/v1/models/${seg(model)}/neurons${query(params)}`);
    // The page's own URL carries the cursor, so a reload shows the same page.
    history.replaceState(
      null,
      "",
      window.location.pathname + query({ sort: state.sort, cursor: state.cursor }),
    );
    const total = listing.total;
    chart.replaceChildren(
      el("p", { class: "meta", text: `Best score of each of the ${total} explained neurons` }),
      histogram(listing.histogram.edges, listing.histogram.counts, {
        label: "best explanation score (top-and-random correlation)",
      }),
    );
    const first = state.back.length * PAGE_SIZE;
    position.textContent = total
      ? `neurons ${first + 1}–${first + listing.neurons.length} of ${total}`
      : "no explained neuron in this layer yet";
    table.replaceChildren(neuronTable(model, listing.neurons));
    previous.disabled = state.back.length === 0;
    next.disabled = !listing.next_cursor;
    state.next = listing.next_cursor;
  };
  const go = (change) => {
    change();
    load().catch((error) => showError(error, table));
  };
  next.addEventListener("click", () =>
    go(() => {
      state.back.push(state.cursor);
      state.cursor = state.next;
    }),
  );
  previous.addEventListener("click", () => go(() => (state.cursor = state.back.pop())));
  sort.addEventListener("change", () =>
    go(() => {
      state.sort = sort.value;
      state.cursor = null;
      state.back = [];
    }),
  );
  await load().catch((error) => showError(error, table));

  // The next layer's link only where the model has one.
  try {
    const info = await api(`/v1/models/${seg(model)}`);
    if (info.layers === null || layer + 1 < info.layers) {
      neighbours.append(link(views.layer(model, layer + 1), `layer ${layer + 1} →`));
    }
  } catch (_) {
    // The listing above already said what is wrong.
  }
});
