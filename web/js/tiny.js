// Chapter 2, a tiny network trained live: web/src/tiny.rs (in WebAssembly)
// trains with the library's `fit` a few epochs per frame; the page redraws the
// decision boundary (the probability of class 1) and the loss curve.
(function () {
  "use strict";
  const box = document.getElementById("tiny-network");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "yes";
  const field = box.querySelector(".tiny-field"); // the points and the boundary
  const curve = box.querySelector(".tiny-loss"); // the loss against the epoch
  const control = (name) => box.querySelector(`[name=${name}]`);
  const EPOCHS_PER_FRAME = 5, MAX_EPOCHS = 2000;
  let points = [], losses = [], running = false;

  // A new network from the controls; returns the points as [[x, y, class], ...].
  function start(wasm) {
    const ptr = wasm.tiny_new(
      Number(control("data").value), Number(control("layers").value),
      Number(control("width").value), Number(control("activation").value), Number(control("lr").value));
    points = [];
    if (ptr === 0) return;
    const xyk = new Float64Array(wasm.memory.buffer, ptr, 600);
    for (let i = 0; i < 200; i++) points.push([xyk[3 * i], xyk[3 * i + 1], xyk[3 * i + 2]]);
    losses = [];
  }

  function draw(wasm) {
    const g = field.getContext("2d");
    const { width, height } = field;
    const gw = 60, gh = 60;
    const at = wasm.tiny_grid(gw, gh); // first: a call may grow (and replace) the memory
    if (at !== 0) {
      const p = new Float64Array(wasm.memory.buffer, at, gw * gh);
      const shade = new ImageData(gw, gh);
      p.forEach((q, i) => shade.data.set([255 - 90 * q, 200 + 20 * (1 - Math.abs(2 * q - 1)), 165 + 90 * q, 255], 4 * i));
      const tmp = document.createElement("canvas");
      tmp.width = gw; tmp.height = gh;
      tmp.getContext("2d").putImageData(shade, 0, 0);
      g.imageSmoothingEnabled = true;
      g.drawImage(tmp, 0, 0, width, height);
    }
    for (const [x, y, k] of points) {
      g.fillStyle = k ? "#1f77b4" : "#ff7f0e";
      g.beginPath();
      g.arc(((x + 1.2) / 2.4) * width, ((1.2 - y) / 2.4) * height, 3.5, 0, 2 * Math.PI);
      g.fill();
      g.strokeStyle = "#fff";
      g.stroke();
    }
    const c = curve.getContext("2d");
    c.clearRect(0, 0, curve.width, curve.height);
    c.strokeStyle = "#888";
    c.strokeRect(0.5, 0.5, curve.width - 1, curve.height - 1);
    if (losses.length > 1) {
      const top = Math.max(...losses.filter(Number.isFinite), 1e-9);
      c.strokeStyle = "#d62728";
      c.beginPath();
      losses.forEach((l, i) => {
        const px = (i / MAX_EPOCHS) * curve.width, py = curve.height - (l / top) * (curve.height - 4);
        i ? c.lineTo(px, py) : c.moveTo(px, py);
      });
      c.stroke();
    }
    const last = losses[losses.length - 1];
    box.querySelector(".tiny-status").textContent =
      `${losses.length}/${MAX_EPOCHS}, ${last === undefined ? "–" : last.toFixed(4)}`;
  }

  function frame(wasm) {
    if (!running) return;
    for (let i = 0; i < EPOCHS_PER_FRAME && losses.length < MAX_EPOCHS; i++) losses.push(wasm.tiny_train(1));
    draw(wasm);
    if (losses.length < MAX_EPOCHS && Number.isFinite(losses[losses.length - 1])) requestAnimationFrame(() => frame(wasm));
    else running = false;
  }

  window.scratchnet.then((wasm) => {
    const restart = () => {
      start(wasm);
      draw(wasm);
      if (!running) { running = true; requestAnimationFrame(() => frame(wasm)); }
    };
    box.querySelectorAll("select, input").forEach((c) => c.addEventListener("change", restart));
    box.querySelector(".tiny-restart").addEventListener("click", restart);
    box.hidden = false;
    if (window.scratchnetSelftest === "tiny") return selftest(wasm);
    restart();
  });

  // The browser test: each dataset, 300 epochs with the page's default controls;
  // `cargo xtask browser-test` checks that the loss falls, as natively.
  function selftest(wasm) {
    const results = [0, 1, 2].map((data) => {
      control("data").value = String(data);
      start(wasm);
      const trace = [];
      for (let i = 0; i < 300; i++) trace.push(wasm.tiny_train(1));
      draw(wasm);
      return { data, first: trace[0], last: trace[299] };
    });
    window.scratchnetReport({ demo: "tiny", results });
  }
})();
