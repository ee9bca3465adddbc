// Chapter 5, "draw a digit": the reader draws on a 280×280 canvas; the book's
// MLP (web/src/digit.rs, in WebAssembly) reads it after every stroke and shows
// the ten probabilities and the 28×28 image it saw.
(function () {
  "use strict";
  const box = document.getElementById("digit-demo");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "yes";
  const pad = box.querySelector(".digit-pad"); // where the reader draws, white on black
  const seen = box.querySelector(".digit-seen"); // the 28×28 input, enlarged
  const bars = box.querySelector(".digit-bars"); // the ten probabilities
  const answer = box.querySelector(".digit-answer");
  const ink = pad.getContext("2d", { willReadFrequently: true });

  function clear() {
    ink.fillStyle = "#000";
    ink.fillRect(0, 0, pad.width, pad.height);
    seen.getContext("2d").clearRect(0, 0, seen.width, seen.height);
    drawBars(new Float32Array(10), -1);
    answer.textContent = "–";
  }

  // The canvas's pixels as grey levels (its red channel: the ink is white on black),
  // read by the module; returns {digit, probabilities, image} or null without a stroke.
  function read(wasm) {
    const { width, height } = pad;
    const rgba = ink.getImageData(0, 0, width, height).data;
    const n = width * height;
    const ptr = wasm.alloc(n);
    const grey = new Uint8Array(wasm.memory.buffer, ptr, n);
    for (let i = 0; i < n; i++) grey[i] = rgba[4 * i];
    const digit = wasm.digit_read(ptr, width, height);
    wasm.dealloc(ptr, n);
    if (digit < 0) return null;
    // The addresses first: a call may grow (and replace) the module's memory.
    const [p, img] = [wasm.digit_probabilities(), wasm.digit_image()];
    const probabilities = Array.from(new Float32Array(wasm.memory.buffer, p, 10));
    const image = new Uint8Array(wasm.memory.buffer, img, 784).slice();
    return { digit, probabilities, image };
  }

  function show(r) {
    if (!r) return clear();
    answer.textContent = String(r.digit);
    drawBars(r.probabilities, r.digit);
    const small = new ImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      small.data.set([r.image[i], r.image[i], r.image[i], 255], 4 * i);
    }
    const g = seen.getContext("2d");
    createImageBitmap(small).then((bitmap) => {
      g.imageSmoothingEnabled = false;
      g.drawImage(bitmap, 0, 0, seen.width, seen.height);
    });
  }

  function drawBars(p, best) {
    const g = bars.getContext("2d");
    const { width, height } = bars;
    const slot = width / 10, top = 8, bottom = height - 20;
    g.clearRect(0, 0, width, height);
    g.font = "14px sans-serif";
    g.textAlign = "center";
    for (let k = 0; k < 10; k++) {
      const h = (bottom - top) * p[k];
      g.fillStyle = k === best ? "#d62728" : "#1f77b4";
      g.fillRect(k * slot + 4, bottom - h, slot - 8, h);
      g.fillStyle = "#444";
      g.fillText(String(k), k * slot + slot / 2, height - 4);
    }
  }

  window.scratchnet.then((wasm) => {
    let drawing = false;
    const at = (e) => {
      const r = pad.getBoundingClientRect();
      return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
    };
    pad.addEventListener("pointerdown", (e) => {
      drawing = true;
      pad.setPointerCapture(e.pointerId);
      ink.beginPath();
      ink.moveTo(...at(e));
    });
    pad.addEventListener("pointermove", (e) => {
      if (!drawing) return;
      ink.strokeStyle = "#fff";
      ink.lineWidth = 18;
      ink.lineCap = ink.lineJoin = "round";
      ink.lineTo(...at(e));
      ink.stroke();
      show(read(wasm)); // as the reader draws
    });
    pad.addEventListener("pointerup", () => (drawing = false));
    box.querySelector(".digit-clear").addEventListener("click", clear);
    clear();
    box.hidden = false;
    if (window.scratchnetSelftest === "digit") selftest(wasm);
  });

  // The browser test: draws each MNIST test digit of demos/selftest-digits.js
  // (written by `cargo xtask browser-test`) onto the canvas, ten times enlarged,
  // reads it as a drawing is read, and reports what the network said.
  function selftest(wasm) {
    const script = document.createElement("script");
    script.src = "demos/selftest-digits.js";
    script.onload = () => {
      const results = window.SELFTEST_DIGITS.map((d) => {
        const pixels = Uint8Array.from(atob(d.pixels), (c) => c.charCodeAt(0));
        const big = ink.createImageData(pad.width, pad.height);
        for (let y = 0; y < pad.height; y++) {
          for (let x = 0; x < pad.width; x++) {
            const v = pixels[Math.floor(y / 10) * 28 + Math.floor(x / 10)];
            big.data.set([v, v, v, 255], 4 * (y * pad.width + x));
          }
        }
        ink.putImageData(big, 0, 0);
        const r = read(wasm);
        show(r);
        return { label: d.label, digit: r ? r.digit : -1, probabilities: r ? r.probabilities : [] };
      });
      window.scratchnetReport({ demo: "digit", results });
    };
    script.onerror = () => window.scratchnetReport({ demo: "digit", error: "no demos/selftest-digits.js" });
    document.head.appendChild(script);
  }
})();
