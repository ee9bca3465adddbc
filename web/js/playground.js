// Chapter 4, the optimizer playground: the path of one of the library's
// optimizers on the chapter's surfaces (web/src/playground.rs, in WebAssembly),
// recomputed whenever a control changes.
(function () {
  "use strict";
  const box = document.getElementById("optimizer-playground");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "yes";
  const plot = box.querySelector(".playground-plot");
  const control = (name) => box.querySelector(`[name=${name}]`);
  // The regions of Figures 4.3 and 4.4, and the minima (as in playground::surface).
  const regions = [
    { x: [-8, 8], y: [-3, 3], min: [0, 0] },
    { x: [-2, 2], y: [-1, 3], min: [1, 1] },
  ];

  // The path of `steps` steps as [[x, y], ...], computed by the module.
  function path(wasm, surface, kind, lr, beta, steps) {
    const ptr = wasm.playground_path(surface, kind, lr, beta, steps);
    if (ptr === 0) return [];
    const xy = new Float64Array(wasm.memory.buffer, ptr, 2 * (steps + 1));
    const points = [];
    for (let i = 0; i <= steps; i++) points.push([xy[2 * i], xy[2 * i + 1]]);
    return points;
  }

  function draw(wasm) {
    const surface = Number(control("surface").value);
    const kind = Number(control("optimizer").value);
    const lr = Number(control("lr").value);
    const beta = Number(control("beta").value);
    const steps = Math.max(1, Math.min(10000, Math.round(Number(control("steps").value))));
    const { width, height } = plot;
    const region = regions[surface];
    const g = plot.getContext("2d");
    // The surface: log10(f + 0.001), dark low to light high.
    const gw = Math.round(width / 4), gh = Math.round(height / 4);
    const at = wasm.playground_grid(surface, gw, gh); // first: a call may grow (and replace) the memory
    const grid = new Float64Array(wasm.memory.buffer, at, gw * gh);
    let lo = Infinity, hi = -Infinity;
    for (const v of grid) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const shade = new ImageData(gw, gh);
    grid.forEach((v, i) => {
      const t = (v - lo) / (hi - lo);
      shade.data.set([40 + 200 * t, 60 + 170 * t, 110 + 120 * t, 255], 4 * i);
    });
    const px = ([x, y]) => [
      ((x - region.x[0]) / (region.x[1] - region.x[0])) * width,
      ((region.y[1] - y) / (region.y[1] - region.y[0])) * height,
    ];
    const points = path(wasm, surface, kind, lr, beta, steps);
    createImageBitmap(shade).then((bitmap) => {
      g.drawImage(bitmap, 0, 0, width, height);
      g.strokeStyle = "#d62728";
      g.fillStyle = "#d62728";
      g.lineWidth = 1.5;
      g.beginPath();
      points.forEach((p, i) => (i ? g.lineTo(...px(p)) : g.moveTo(...px(p))));
      g.stroke();
      if (points.length <= 200) points.forEach((p) => g.fillRect(px(p)[0] - 2, px(p)[1] - 2, 4, 4));
      const [mx, my] = px(region.min);
      g.strokeStyle = "#000";
      g.beginPath();
      g.moveTo(mx - 6, my - 6); g.lineTo(mx + 6, my + 6);
      g.moveTo(mx + 6, my - 6); g.lineTo(mx - 6, my + 6);
      g.stroke();
    });
    const end = points[points.length - 1] || [NaN, NaN];
    box.querySelector(".playground-end").textContent =
      `(${end[0].toPrecision(4)}, ${end[1].toPrecision(4)})`;
  }

  window.scratchnet.then((wasm) => {
    box.querySelectorAll("select, input").forEach((c) => c.addEventListener("input", () => draw(wasm)));
    draw(wasm);
    box.hidden = false;
    if (window.scratchnetSelftest === "playground") selftest(wasm);
  });

  // The browser test: the cases come in the address (&cases=surface,kind,lr,beta,steps;...);
  // the report holds each path, which `cargo xtask browser-test` compares with the native one.
  function selftest(wasm) {
    const cases = new URLSearchParams(location.search).get("cases") || "";
    const results = cases.split(";").filter(Boolean).map((c) => {
      const [surface, kind, lr, beta, steps] = c.split(",").map(Number);
      return { surface, kind, lr, beta, steps, path: path(wasm, surface, kind, lr, beta, steps) };
    });
    window.scratchnetReport({ demo: "playground", results });
  }
})();
