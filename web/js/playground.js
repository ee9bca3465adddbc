// Chapter 4, the optimizer playground: the path of one of the library's
// optimizers on the chapter's surfaces (web/src/playground.rs, in WebAssembly),
// recomputed whenever a control changes. Choosing a surface or an optimizer
// first loads that optimizer's settings in Figure 4.3 or 4.4 (playground::FIGURES).
(function () {
  "use strict";
  const box = document.getElementById("optimizer-playground");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "yes";
  const plot = box.querySelector(".playground-plot");
  const result = box.querySelector(".playground-result");
  const control = (name) => box.querySelector(`[name=${name}]`);
  const number = (name) => control(name).valueAsNumber; // NaN for an empty field
  // The regions of Figures 4.3 and 4.4, and the minima (as in playground::surface).
  const regions = [
    { x: [-8, 8], y: [-3, 3], min: [0, 0] },
    { x: [-2, 2], y: [-1, 3], min: [1, 1] },
  ];

  // The path as [[x, y], ...], or the module's reason to refuse the settings (a string).
  function path(wasm, surface, kind, lr, coefficient, steps) {
    const ptr = wasm.playground_path(surface, kind, lr, coefficient, steps);
    if (ptr === 0) return window.scratchnetRefusal(wasm);
    const xy = new Float64Array(wasm.memory.buffer, ptr, 2 * (steps + 1));
    const points = [];
    for (let i = 0; i <= steps; i++) points.push([xy[2 * i], xy[2 * i + 1]]);
    return points;
  }

  // The figure's settings for the chosen surface and optimizer, the name of the
  // optimizer's coefficient (μ, ρ, β₁, or no field), and a canvas of the region's shape.
  function load(wasm) {
    const surface = Number(control("surface").value);
    const at = wasm.playground_settings(surface, Number(control("optimizer").value));
    const [lr, coefficient, steps] = new Float64Array(wasm.memory.buffer, at, 3);
    const name = control("optimizer").selectedOptions[0].dataset.coefficient;
    control("lr").value = lr;
    control("steps").value = steps;
    control("coefficient").value = name ? coefficient : "";
    control("coefficient").closest("label").hidden = !name; // SGD and AdaGrad have none
    box.querySelector(".playground-coefficient").textContent = name;
    const r = regions[surface], w = r.x[1] - r.x[0], h = r.y[1] - r.y[0];
    const scale = Math.min(640 / w, 400 / h); // pixels per unit, the same on both axes
    plot.width = Math.round(scale * w);
    plot.height = Math.round(scale * h);
  }

  function draw(wasm) {
    const surface = Number(control("surface").value);
    const kind = Number(control("optimizer").value);
    let points = path(wasm, surface, kind, number("lr"), number("coefficient"), number("steps"));
    let text;
    if (typeof points === "string") {
      text = points;
      points = [];
    } else {
      const k = points.findIndex(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y));
      if (k >= 0) {
        text = `Diverged at step ${k}: the point is no longer a finite number (drawn up to step ${k - 1}).`;
        points = points.slice(0, k);
      } else {
        const [x, y] = points[points.length - 1];
        text = `Last point: (${x.toPrecision(4)}, ${y.toPrecision(4)})`;
      }
    }
    result.textContent = text;
    result.classList.toggle("demo-error", !text.startsWith("Last point"));

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
  }

  window.scratchnet.then((wasm) => {
    box.querySelectorAll("select").forEach((c) => c.addEventListener("input", () => { load(wasm); draw(wasm); }));
    box.querySelectorAll("input").forEach((c) => c.addEventListener("input", () => draw(wasm)));
    load(wasm);
    draw(wasm);
    box.hidden = false;
    if (window.scratchnetSelftest === "playground") selftest(wasm);
  });

  // The browser test: the cases come in the address (&cases=surface,kind,lr,coefficient,steps;...);
  // the report holds each path (or the module's refusal), which `cargo xtask browser-test`
  // compares with the native one, then what the page shows after choosing Rosenbrock and momentum.
  function selftest(wasm) {
    const cases = new URLSearchParams(location.search).get("cases") || "";
    const results = cases.split(";").filter(Boolean).map((c) => {
      const [surface, kind, lr, coefficient, steps] = c.split(",").map(Number);
      const p = path(wasm, surface, kind, lr, coefficient, steps);
      return typeof p === "string" ? { surface, kind, refused: p } : { surface, kind, path: p };
    });
    control("surface").value = "1";
    control("optimizer").value = "1";
    control("optimizer").dispatchEvent(new Event("input"));
    const page = {
      lr: number("lr"), coefficient: number("coefficient"), steps: number("steps"),
      label: box.querySelector(".playground-coefficient").textContent,
      canvas: [plot.width, plot.height], result: result.textContent,
    };
    window.scratchnetReport({ demo: "playground", results, page });
  }
})();
