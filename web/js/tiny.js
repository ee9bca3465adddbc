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
  const status = box.querySelector(".tiny-status");
  const control = (name) => box.querySelector(`[name=${name}]`);
  const EPOCHS_PER_FRAME = 5, MAX_EPOCHS = 2000;
  let points = [], losses = [], refused = null, scheduled = false;

  // A new network from the controls, and its points as [[x, y, class], ...];
  // or none, and the module's reason to refuse the settings in `refused`.
  function start(wasm) {
    const number = (name) => control(name).valueAsNumber; // NaN for an empty field
    const ptr = wasm.tiny_new(
      Number(control("data").value), number("layers"), number("width"),
      Number(control("activation").value), number("lr"));
    points = [];
    losses = [];
    refused = ptr === 0 ? window.scratchnetRefusal(wasm) : null;
    if (refused) return;
    const xyk = new Float64Array(wasm.memory.buffer, ptr, 600);
    for (let i = 0; i < 200; i++) points.push([xyk[3 * i], xyk[3 * i + 1], xyk[3 * i + 2]]);
  }

  function draw(wasm) {
    const g = field.getContext("2d");
    const { width, height } = field;
    g.clearRect(0, 0, width, height);
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
    drawLosses();
    const last = losses[losses.length - 1];
    status.textContent = refused
      ? refused
      : Number.isNaN(last)
        ? `Diverged at epoch ${losses.length}: the loss is NaN.`
        : `Epoch ${losses.length} of ${MAX_EPOCHS}, loss ${last === undefined ? "–" : last.toPrecision(3)}`;
    status.classList.toggle("demo-error", Boolean(refused) || Number.isNaN(last));
  }

  // The loss against the epoch, 0 to MAX_EPOCHS across, on a log scale:
  // a line and a label at each power of ten (fewer if they would crowd).
  function drawLosses() {
    const c = curve.getContext("2d"), W = curve.width, H = curve.height;
    const left = 36, right = W - 6, top = 6, bottom = H - 16;
    const seen = losses.filter((l) => l > 0 && Number.isFinite(l));
    const hi = Math.max(0, Math.ceil(Math.log10(Math.max(...seen, 1))));
    const lo = Math.min(hi - 3, Math.floor(Math.log10(Math.min(...seen, 1))));
    const px = (epoch) => left + (epoch / MAX_EPOCHS) * (right - left);
    const py = (l) => top + ((hi - Math.log10(l)) / (hi - lo)) * (bottom - top);
    const every = Math.ceil((14 * (hi - lo)) / (bottom - top));
    c.clearRect(0, 0, W, H);
    c.font = "10px sans-serif";
    c.fillStyle = c.strokeStyle = "#888";
    c.lineWidth = 0.5;
    c.textAlign = "right";
    c.textBaseline = "middle";
    for (let k = hi; k >= lo; k -= every) {
      c.beginPath(); c.moveTo(left, py(10 ** k)); c.lineTo(right, py(10 ** k)); c.stroke();
      c.fillText(Math.abs(k) > 3 ? `1e${k}` : String(10 ** k), left - 4, py(10 ** k));
    }
    c.textBaseline = "top";
    c.fillText(`${MAX_EPOCHS} epochs`, right, bottom + 4);
    c.textAlign = "left";
    c.fillText("0", left, bottom + 4);
    c.strokeStyle = "#d62728";
    c.lineWidth = 1.5;
    c.beginPath();
    losses.forEach((l, i) => (i ? c.lineTo(px(i + 1), py(l)) : c.moveTo(px(i + 1), py(l))));
    c.stroke();
  }

  // Trains a few epochs and redraws, then asks for the next frame while training goes on.
  function frame(wasm) {
    const going = () => !refused && losses.length < MAX_EPOCHS && !Number.isNaN(losses[losses.length - 1]);
    if (!going()) return;
    for (let i = 0; i < EPOCHS_PER_FRAME && losses.length < MAX_EPOCHS; i++) losses.push(wasm.tiny_train(1));
    draw(wasm);
    if (going()) schedule(wasm);
  }

  function schedule(wasm) {
    if (scheduled) return; // one chain of frames, however often the reader restarts
    scheduled = true;
    requestAnimationFrame(() => { scheduled = false; frame(wasm); });
  }

  window.scratchnet.then((wasm) => {
    const restart = () => {
      start(wasm);
      draw(wasm);
      schedule(wasm);
    };
    box.querySelectorAll("select, input").forEach((c) => c.addEventListener("change", restart));
    box.querySelector(".tiny-restart").addEventListener("click", restart);
    box.hidden = false;
    if (window.scratchnetSelftest === "tiny") return selftest(wasm);
    restart();
  });

  // The browser test: a width the module refuses (what the page then shows),
  // then each dataset, 300 epochs with the page's default controls;
  // `cargo xtask browser-test` checks that the loss falls, as natively.
  function selftest(wasm) {
    control("width").value = "200";
    start(wasm);
    draw(wasm);
    const refusal = { refused, status: status.textContent, trains: wasm.tiny_train(1) };
    control("width").value = "16";
    const results = [0, 1, 2].map((data) => {
      control("data").value = String(data);
      start(wasm);
      for (let i = 0; i < 300; i++) losses.push(wasm.tiny_train(1));
      draw(wasm);
      return { data, first: losses[0], last: losses[299] };
    });
    window.scratchnetReport({ demo: "tiny", refusal, results });
  }
})();
