"use strict";
// Shared by every page: the API key, calls to the JSON API under /v1, DOM helpers that only
// ever insert text (never markup from the API), heat maps and histograms.

const KEY_STORAGE = "autointerp.apiKey";
const SVG_NS = "http://www.w3.org/2000/svg";

function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

class ApiError extends Error {
  constructor(status, problem, path) {
    super((problem && problem.detail) || `HTTP ${status} from ${path}`);
    this.status = status;
    this.problem = problem;
  }
}

function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

// One call to the API; the parsed JSON, or an ApiError carrying the problem document.
async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json", ...authHeaders() };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data, path);
  }
  return data;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// Element builder: `text` and string children become text nodes, so API data stays text.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function fmt(value, digits = 3) {
  if (value === null || value === undefined) return "–";
  const text = Number(value).toFixed(digits);
  return /^-0\.0*$/.test(text) ? text.slice(1) : text; // no "-0.00"
}

const seg = encodeURIComponent;
const views = {
  layer: (model, layer) => `/view/models/${seg(model)}/layers/${layer}`,
  neuron: (model, layer, index) => `/view/models/${seg(model)}/layers/${layer}/neurons/${index}`,
  operation: (id) => `/view/operations/${id}`,
};

function link(href, text, attributes = {}) {
  return el("a", { href, text, ...attributes });
}

function page() {
  const data = document.body.dataset;
  return {
    model: data.model,
    layer: data.layer === undefined ? undefined : Number(data.layer),
    index: data.index === undefined ? undefined : Number(data.index),
    operationId: data.operationId,
  };
}

function setCrumbs(parts) {
  const nav = document.getElementById("crumbs");
  nav.replaceChildren();
  parts.forEach((part, i) => {
    if (i) nav.append(el("span", { class: "sep", text: "›" }));
    nav.append(part.href ? link(part.href, part.text) : el("span", { text: part.text }));
  });
}

// What a failed call means to the person looking at the page.
function explain(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return apiKey()
        ? `This server did not accept the API key: ${error.message}. Enter another at the top.`
        : "This server needs an API key: enter one in the field at the top of the page.";
    }
    if (error.status === 403) return `The API key may not do this: ${error.message}`;
    const title = (error.problem && error.problem.title) || "Error";
    return `${error.status} ${title}: ${error.message}`;
  }
  return `Could not reach the API: ${error.message}`;
}

function showError(error, container) {
  const message = explain(error);
  if (error instanceof ApiError && error.status === 401) {
    const notice = document.getElementById("notice");
    notice.textContent = message;
    notice.hidden = false;
  }
  const box = el("p", { class: "error", role: "alert", text: message });
  if (container) container.replaceChildren(box);
  return box;
}

// Whitespace made visible: spaces kept (the spans preserve them), newlines and tabs shown.
function shownToken(token) {
  const shown = token.replace(/\n/g, "↵").replace(/\t/g, "→").replace(/\r/g, "");
  return shown === "" ? "∅" : shown;
}

// Intensity by |value| relative to `scale` (the neuron's largest activation in magnitude):
// orange for positive activations, blue for negative ones.
function heat(value, scale) {
  if (!(scale > 0) || !value) return "transparent";
  const alpha = Math.min(1, Math.abs(value) / scale).toFixed(3);
  return value > 0 ? `rgba(255, 128, 0, ${alpha})` : `rgba(40, 120, 255, ${alpha})`;
}

// One excerpt as a line of tokens, each with its value on hover and in data-value.
function heatmap(tokens, values, scale) {
  const line = el("div", { class: "heatmap" });
  tokens.forEach((token, i) => {
    const value = values[i];
    const span = el("span", {
      class: "tok",
      text: shownToken(token),
      title: `${JSON.stringify(token)} ${fmt(value)}`,
      dataset: { value: String(value) },
    });
    span.style.backgroundColor = heat(value, scale);
    line.append(span);
  });
  return line;
}

// Bars of `counts` between `edges` (one more edge than counts) as an inline SVG.
function histogram(edges, counts, { width = 480, height = 120, label = "" } = {}) {
  const most = Math.max(1, ...counts);
  const pad = { left: 36, bottom: 18, top: 6 };
  const inner = height - pad.bottom - pad.top;
  const bar = (width - pad.left) / Math.max(1, counts.length);
  const chart = svg("svg", {
    class: "histogram",
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
  });
  const title = svg("title");
  title.textContent = label;
  chart.append(title);
  counts.forEach((count, i) => {
    const h = (count / most) * inner;
    const rect = svg("rect", {
      x: pad.left + i * bar + 0.5,
      y: pad.top + inner - h,
      width: Math.max(1, bar - 1),
      height: h,
      class: "bin",
    });
    const tip = svg("title");
    tip.textContent = `${fmt(edges[i], 2)} to ${fmt(edges[i + 1], 2)}: ${count}`;
    rect.append(tip);
    chart.append(rect);
  });
  const text = (x, y, value, anchor) => {
    const node = svg("text", { x, y, "text-anchor": anchor, class: "axis" });
    node.textContent = value;
    chart.append(node);
  };
  text(pad.left, height - 4, fmt(edges[0], 2), "start");
  text(
    pad.left + (width - pad.left) / 2,
    height - 4,
    fmt((edges[0] + edges[edges.length - 1]) / 2, 2),
    "middle",
  );
  text(width, height - 4, fmt(edges[edges.length - 1], 2), "end");
  text(pad.left - 4, pad.top + 10, String(most), "end");
  text(pad.left - 4, pad.top + inner, "0", "end");
  return chart;
}

function section(title, ...children) {
  return el("section", {}, el("h2", { text: title }), ...children);
}

function setupKeyForm() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  input.value = apiKey();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
    window.location.reload();
  });
}

// Each page script registers its `start`; it runs once the shell and this file are loaded.
function onPage(start) {
  document.addEventListener("DOMContentLoaded", () => {
    setupKeyForm();
    const main = document.getElementById("main");
    main.replaceChildren();
    start(main).catch((error) => showError(error, main));
  });
}
