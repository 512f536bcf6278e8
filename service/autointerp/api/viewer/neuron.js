"use strict";
// A neuron: its explanations and scores, its excerpts as heat maps, the real and simulated
// activations of the best explanation side by side, and its activation moments.

const SIMULATED_EXCERPTS = 3;
const HISTOGRAM_BINS = 20;

function resultsTable(results) {
  const head = [
    "explanation",
    "score",
    "random-only",
    "kind",
    "explainer",
    "simulator",
    "polarity",
    "split",
    "operation",
  ];
  const rows = results.map((result) =>
    el(
      "tr",
      {},
      el("td", { text: result.explanation }),
      el("td", { class: "num", text: fmt(result.correlation) }),
      el("td", { class: "num", text: fmt(result.random_only_correlation) }),
      el("td", { text: result.kind }),
      el("td", { text: result.explainer || "–" }),
      el("td", { text: result.simulator }),
      el("td", { text: result.polarity }),
      el("td", { text: result.split }),
      el("td", {}, link(views.operation(result.operation_id), result.operation_id.slice(0, 12))),
    ),
  );
  return el(
    "table",
    { class: "results" },
    el("thead", {}, el("tr", {}, ...head.map((text) => el("th", { text })))),
    el("tbody", {}, rows),
  );
}

function excerptList(name, excerpts, scale) {
  if (!excerpts.length) return el("p", { class: "meta", text: "none recorded" });
  return el(
    "div",
    { class: "excerpts", dataset: { section: name } },
    excerpts.map((excerpt) =>
      el(
        "div",
        { class: "excerpt", dataset: { excerptId: String(excerpt.excerpt_id) } },
        // Bottom excerpts are ranked by their lowest activation, the others by their highest.
        el("span", {
          class: "peak",
          text: fmt(
            name === "bottom" ? Math.min(...excerpt.activations) : Math.max(...excerpt.activations),
            2,
          ),
        }),
        heatmap(excerpt.tokens, excerpt.activations, scale),
      ),
    ),
  );
}

function quantileSections(quantiles, scale) {
  return quantiles.map((bin) => {
    const bound = (value) => (value === null ? "…" : fmt(value, 2));
    const range = `max activation ${bound(bin.lower)} to ${bound(bin.upper)}`;
    return el(
      "div",
      { class: "quantile" },
      el("h3", {
        text: `Quantiles ${fmt(bin.quantile_from, 2)}–${fmt(bin.quantile_to, 2)} (${range})`,
      }),
      excerptList(`quantile-${bin.quantile_from}`, bin.excerpts, scale),
    );
  });
}

function moments(stats) {
  const items = [
    ["tokens", stats.count],
    ["mean", fmt(stats.mean, 4)],
    ["std", fmt(Math.sqrt(stats.variance), 4)],
    ["skewness", fmt(stats.skewness, 3)],
    ["kurtosis", fmt(stats.kurtosis, 3)],
    ["min", fmt(stats.min, 4)],
    ["max", fmt(stats.max, 4)],
  ];
  return el(
    "dl",
    { class: "moments" },
    items.map(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]),
  );
}

// Binned here, from the random excerpts' tokens: the scan keeps moments, not a histogram.
function randomHistogram(random) {
  const values = random.flatMap((excerpt) => excerpt.activations);
  if (!values.length) return el("p", { class: "meta", text: "no random excerpts recorded" });
  const low = Math.min(...values);
  const high = Math.max(...values);
  const width = (high - low) / HISTOGRAM_BINS || 1;
  const counts = new Array(HISTOGRAM_BINS).fill(0);
  for (const value of values) {
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((value - low) / width))] += 1;
  }
  const edges = counts.map((_, i) => low + i * width).concat(low + HISTOGRAM_BINS * width);
  return el(
    "figure",
    {},
    histogram(edges, counts, { label: "activations of the random excerpts' tokens" }),
    el("figcaption", {
      class: "meta",
      text:
        `Activation histogram of the ${values.length} tokens of the random excerpts ` +
        "(computed in this page, not over the whole scan)",
    }),
  );
}

async function finished(operation, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while (!["succeeded", "failed", "cancelled"].includes(operation.state)) {
    if (Date.now() > deadline) throw new Error("the simulation did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 500));
    operation = await api(`/v1/operations/${operation.id}`);
  }
  return operation;
}

// Simulates the best explanation on the first top excerpts through the API (a cached
// operation when someone has asked before), then shows real and simulated side by side.
async function realVersusSimulated(container, record, scale) {
  const best = record.results[0];
  if (!best) {
    container.append(el("p", { class: "meta", text: "No explanation of this neuron yet." }));
    return;
  }
  // A negative explanation describes the bottom excerpts (docs/method.md).
  const source = best.polarity === "negative" ? record.bottom : record.top;
  const excerpts = source.slice(0, SIMULATED_EXCERPTS);
  const status = el("p", { class: "meta", text: "Simulating the best explanation…" });
  container.append(el("p", { class: "explanation", text: best.explanation }), status);
  if (!excerpts.length) {
    status.textContent = "No top excerpts to simulate.";
    return;
  }
  const body = {
    explanation: best.explanation,
    // The lexical simulator runs on the lexical profile; others on the explainer's profile.
    profile: best.simulator === "lexical" ? "lexical" : best.explainer || "local",
    simulator: best.simulator,
    tokens: excerpts.map((excerpt) => excerpt.tokens),
  };
  let operation;
  try {
    operation = await finished(await api("/v1/simulations", { method: "POST", body }));
  } catch (error) {
    status.textContent = `No simulation: ${explain(error)}`;
    status.classList.add("error");
    return;
  }
  if (operation.state !== "succeeded") {
    const why = operation.error ? operation.error.detail : operation.state;
    status.replaceChildren(
      `The simulation ${operation.state}: ${why} (`,
      link(views.operation(operation.id), "operation"),
      ")",
    );
    status.classList.add("error");
    return;
  }
  status.replaceChildren(
    `Real activations (left) and simulated ones, 0 to 10 (right), from `,
    link(views.operation(operation.id), "this simulation"),
    ".",
  );
  const grid = el(
    "div",
    { class: "versus", dataset: { section: "simulated" } },
    el("h3", { text: "real" }),
    el("h3", { text: "simulated (0 to 10)" }),
  );
  excerpts.forEach((excerpt, i) => {
    const simulated = operation.result.excerpts[i];
    grid.append(
      el("div", { class: "excerpt" }, heatmap(excerpt.tokens, excerpt.activations, scale)),
      el("div", { class: "excerpt simulated" }, heatmap(simulated.tokens, simulated.values, 10)),
    );
  });
  container.append(grid);
}

function neighbourLinks(model, layer, index, info) {
  const nav = el("nav", { class: "neighbours" });
  if (index > 0) {
    nav.append(
      link(views.neuron(model, layer, index - 1), `← neuron ${index - 1}`, { rel: "prev" }),
    );
  }
  nav.append(link(views.layer(model, layer), `layer ${layer}`, { class: "up" }));
  if (!info || info.neurons_per_layer === null || index + 1 < info.neurons_per_layer) {
    nav.append(
      link(views.neuron(model, layer, index + 1), `neuron ${index + 1} →`, { rel: "next" }),
    );
  }
  return nav;
}

onPage(async (main) => {
  const { model, layer, index } = page();
  setCrumbs([
    { text: "search", href: "/" },
    { text: model },
    { text: `layer ${layer}`, href: views.layer(model, layer) },
    { text: `neuron ${index}` },
  ]);
  const [found, info] = await Promise.allSettled([
    api(`/v1/models/${seg(model)}/layers/${layer}/neurons/${index}`),
    api(`/v1/models/${seg(model)}`),
  ]);
  main.append(neighbourLinks(model, layer, index, info.value));
  main.append(el("h1", { text: `${model} · layer ${layer} · neuron ${index}` }));
  if (found.status === "rejected") {
    // The neighbours stay: an unscanned neuron is often one step from a scanned one.
    main.append(showError(found.reason));
    return;
  }
  const record = found.value;
  const scale = Math.max(Math.abs(record.stats.max), Math.abs(record.stats.min));

  main.append(
    section(
      "Explanations",
      record.results.length
        ? resultsTable(record.results)
        : el("p", { class: "meta", text: "None yet: POST /v1/explanations explains this neuron." }),
    ),
  );
  const versus = section("Real and simulated activations (best explanation)");
  main.append(versus);
  main.append(
    section(
      "Activation moments",
      el("div", { class: "stats" }, moments(record.stats), randomHistogram(record.random)),
    ),
    section("Top excerpts", excerptList("top", record.top, scale)),
    section("Bottom excerpts", excerptList("bottom", record.bottom, scale)),
    section("Random excerpts", excerptList("random", record.random, scale)),
  );
  if (record.quantiles.length) {
    main.append(section("Quantile excerpts", ...quantileSections(record.quantiles, scale)));
  }
  main.append(el("p", { class: "meta", text: `scan ${record.scan_id}` }));
  // Last: the simulation may take a while, and everything else is already on the page.
  await realVersusSimulated(versus, record, scale);
});
