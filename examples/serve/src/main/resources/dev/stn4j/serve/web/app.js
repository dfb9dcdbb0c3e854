// The page talks to POST /v1/classify only; everything it shows comes from that one answer.
"use strict";

const $ = (id) => document.getElementById(id);
let requestNumber = 0; // answers to older requests are ignored when a newer one was sent

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

  const bars = $("bars");
  bars.replaceChildren();
  answer.probabilities.forEach((p, i) => {
    const row = document.createElement("div");
    row.className = "bar" + (i === answer.classIndex ? " top" : "");
    const label = document.createElement("span");
    label.textContent = p.label;
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
    bars.appendChild(row);
  });

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

fetch("samples.json")
  .then((r) => r.json())
  .then((samples) => {
    for (const s of samples) {
      const button = document.createElement("button");
      button.className = "sample";
      button.title = s.label + " (" + s.path + ")";
      button.dataset.path = s.path;
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
  })
  .catch((e) => setStatus("cannot load the samples: " + e.message, true));
