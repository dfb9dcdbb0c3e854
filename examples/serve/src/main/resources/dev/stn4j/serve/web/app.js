// The page asks GET v1/model once for what the served model is (name, classes, image size,
// samples), then talks to POST v1/classify only: each answer is shown from that one response.
"use strict";

const $ = (id) => document.getElementById(id);
let requestNumber = 0; // answers to older requests are ignored when a newer one was sent
// Bars shown at once; the rest of the classes (a model may have hundreds) fold under "more".
const TOP_BARS = 10;
// Class names listed in the heading before "and N more".
const NAMES_LISTED = 30;

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function classify(blob, name) {
  const number = ++requestNumber;
  setStatus("classifying " + name + " ...");
  $("status").dataset.state = "busy";
  try {
    const response = await fetch("v1/classify", { method: "POST", body: blob });
    const answer = await response.json();
    if (number !== requestNumber) return;
    if (!response.ok) throw new Error(answer.error || "HTTP " + response.status);
    show(answer, blob);
    setStatus(name + ": " + answer.label);
    $("status").dataset.state = "done";
  } catch (e) {
    if (number !== requestNumber) return;
    setStatus("error: " + e.message, true);
    $("status").dataset.state = "error";
  }
}

function show(answer, blob) {
  $("result").hidden = false;
  const old = $("input").src;
  $("input").src = URL.createObjectURL(blob);
  if (old.startsWith("blob:")) URL.revokeObjectURL(old);
  $("warped").src = "data:image/png;base64," + answer.warpedPng;
  $("label").textContent = answer.label;
  $("confidence").textContent = (100 * answer.confidence).toFixed(1) + " %";

  showBars(answer.probabilities);

  const t = answer.theta;
  const rows = [
    ["θ", t.matrix.map((r) => "[" + r.map((v) => v.toFixed(3)).join(", ") + "]").join(" ")],
    ["scale x", t.scaleX.toFixed(3) + "  (zoom ×" + (1 / t.scaleX).toFixed(2) + ")"],
    ["scale y", t.scaleY.toFixed(3)],
    ["rotation", t.rotationDegrees.toFixed(1) + "°"],
    ["shear", t.shear.toFixed(3)],
    ["translation", "(" + t.translationX.toFixed(3) + ", " + t.translationY.toFixed(3) + ")"],
  ];
  const table = $("theta");
  table.replaceChildren();
  for (const [name, value] of rows) {
    const tr = table.insertRow();
    tr.insertCell().textContent = name;
    tr.insertCell().textContent = value;
  }
}

// Highest probability first: the top TOP_BARS bars, the others folded in a <details>.
function showBars(probabilities) {
  const sorted = probabilities
    .map((p, index) => ({ label: p.label, probability: p.probability, index }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index);
  const bars = $("bars");
  bars.replaceChildren();
  sorted.slice(0, TOP_BARS).forEach((p, rank) => bars.appendChild(bar(p, rank === 0)));
  if (sorted.length > TOP_BARS) {
    const more = document.createElement("details");
    more.id = "more-bars";
    const summary = document.createElement("summary");
    summary.textContent = (sorted.length - TOP_BARS) + " more classes";
    more.appendChild(summary);
    sorted.slice(TOP_BARS).forEach((p) => more.appendChild(bar(p, false)));
    bars.appendChild(more);
  }
}

function bar(p, top) {
  const row = document.createElement("div");
  row.className = "bar" + (top ? " top" : "");
  const label = document.createElement("span");
  label.className = "name";
  label.textContent = p.label;
  label.title = p.label + " (class " + p.index + ")";
  const track = document.createElement("div");
  track.className = "track";
  const fill = document.createElement("div");
  fill.className = "fill";
  fill.style.width = (100 * p.probability).toFixed(2) + "%";
  track.appendChild(fill);
  const value = document.createElement("span");
  value.className = "value";
  value.textContent = (100 * p.probability).toFixed(1) + "%";
  row.append(label, track, value);
  return row;
}

$("file").addEventListener("change", () => {
  const file = $("file").files[0];
  if (file) classify(file, file.name);
});

const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer.files[0];
  if (file) classify(file, file.name);
});

function describeModel(model) {
  const k = model.classes.length;
  const size = model.imageSize + "×" + model.imageSize;
  document.title = "stn4j: " + model.name;
  $("model-name").textContent = ": " + model.name;
  const listed = model.classes.slice(0, NAMES_LISTED).join(", ");
  $("model-classes").textContent =
    k + " classes at " + size + ": " + listed + (k > NAMES_LISTED ? ", and " + (k - NAMES_LISTED) + " more" : "");
  $("warped-size").textContent = ", " + size;
}

function showSamples(samples) {
  for (const s of samples) {
    const button = document.createElement("button");
    button.className = "sample";
    button.title = s.label + " (" + s.path + ")";
    button.dataset.path = s.path;
    button.dataset.label = s.label;
    const img = document.createElement("img");
    img.src = s.path;
    img.alt = s.label;
    button.appendChild(img);
    button.addEventListener("click", async () => {
      const blob = await (await fetch(s.path)).blob();
      classify(blob, s.path.split("/").pop());
    });
    $("samples").appendChild(button);
  }
  $("samples").hidden = samples.length === 0;
}

fetch("v1/model")
  .then((r) => {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  })
  .then((model) => {
    describeModel(model);
    showSamples(model.samples);
    setStatus("ready");
    $("status").dataset.state = "ready";
  })
  .catch((e) => setStatus("cannot load the model's description: " + e.message, true));
