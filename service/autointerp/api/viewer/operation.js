"use strict";
// An operation, live: its server-sent events stream read with fetch (EventSource cannot
// send the Authorization header), falling back to polling when no stream can be had.

const TERMINAL = ["succeeded", "failed", "cancelled"];

// Yields the data of each event of a text/event-stream response (comments skipped).
async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n");
      if (data) yield JSON.parse(data);
    }
  }
}

// Links to what the operation's result is about.
function resultLinks(result) {
  const links = [];
  if (result.kind === "scan") {
    for (const layer of result.layers)
      links.push(link(views.layer(result.model, layer), `${result.model} layer ${layer}`));
  } else if ((result.kind === "explanation" || result.kind === "score") && result.neuron) {
    const n = result.neuron;
    links.push(
      link(
        views.neuron(n.model, n.layer, n.index),
        `${n.model} layer ${n.layer} neuron ${n.index}`,
      ),
    );
  } else if (result.kind === "batch") {
    links.push(
      link(views.layer(result.model, result.layer), `${result.model} layer ${result.layer}`),
    );
  }
  return links;
}

function render(view, operation) {
  view.state.textContent = operation.state;
  view.state.className = `state ${operation.state}`;
  view.kind.textContent = operation.kind;
  view.bar.value = operation.progress.fraction;
  view.percent.textContent = `${Math.round(operation.progress.fraction * 100)}%`;
  view.message.textContent = operation.progress.message;
  view.updated.textContent = new Date(operation.updated_at).toLocaleString();
  view.created.textContent = new Date(operation.created_at).toLocaleString();
  if (operation.error) {
    view.outcome.replaceChildren(
      el("p", { class: "error", text: `${operation.error.title}: ${operation.error.detail}` }),
    );
  } else if (operation.result) {
    view.outcome.replaceChildren(
      el("div", { class: "links" }, resultLinks(operation.result)),
      el("pre", { class: "json", text: JSON.stringify(operation.result, null, 2) }),
    );
  }
}

async function follow(id, view) {
  const response = await fetch(`/v1/operations/${id}/events`, {
    headers: { Accept: "text/event-stream", ...authHeaders() },
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (_) {
      problem = null;
    }
    throw new ApiError(response.status, problem, "events");
  }
  view.live.textContent = "live";
  let last = null;
  for await (const operation of events(response)) {
    last = operation;
    render(view, operation);
  }
  view.live.textContent = "";
  return last;
}

onPage(async (main) => {
  const { operationId } = page();
  setCrumbs([{ text: "search", href: "/" }, { text: `operation ${operationId.slice(0, 12)}…` }]);
  const view = {
    state: el("span", { class: "state" }),
    kind: el("span"),
    bar: el("progress", { max: 1, value: 0 }),
    percent: el("span", { class: "meta" }),
    message: el("span", { class: "meta" }),
    created: el("span"),
    updated: el("span"),
    live: el("span", { class: "live" }),
    outcome: el("div"),
  };
  const rows = [
    ["id", el("code", { text: operationId })],
    ["kind", view.kind],
    ["state", el("span", {}, view.state, " ", view.live)],
    ["progress", el("span", {}, view.bar, " ", view.percent, " ", view.message)],
    ["created", view.created],
    ["updated", view.updated],
  ];
  main.append(
    section(
      "Operation",
      el(
        "dl",
        { class: "operation" },
        rows.map(([name, value]) => [el("dt", { text: name }), el("dd", {}, value)]),
      ),
    ),
    section("Result", view.outcome),
  );
  render(view, await api(`/v1/operations/${operationId}`));
  for (;;) {
    let operation = null;
    try {
      operation = await follow(operationId, view);
    } catch (error) {
      // No stream (all slots taken, say): poll instead.
      if (error instanceof ApiError && error.status === 401) throw error;
      view.live.textContent = "polling";
      await new Promise((resolve) => setTimeout(resolve, 1000));
      operation = await api(`/v1/operations/${operationId}`);
      render(view, operation);
    }
    if (operation && TERMINAL.includes(operation.state)) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  view.live.textContent = "";
});
