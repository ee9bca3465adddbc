// Instantiates the book's WebAssembly module (web/, scratchnet compiled to
// wasm32-unknown-unknown). scripts/book.sh puts its bytes, base64-encoded, in
// SCRATCHNET_WASM just above this code: a page opened from file:// may not
// fetch() a .wasm file, but it may load a <script src>.
// window.scratchnet: a promise of the module's exports (memory, alloc, ...).
// window.scratchnetRefusal(wasm): why an export returned null.
(function () {
  "use strict";
  if (window.scratchnet) return; // the print page includes every chapter's scripts
  const bytes = Uint8Array.from(atob(SCRATCHNET_WASM), (c) => c.charCodeAt(0));
  window.scratchnet = WebAssembly.instantiate(bytes, {}).then((r) => r.instance.exports);
  // The prose says how large the module is: measured here, from the bytes themselves.
  const size = `${Math.round(bytes.length / 1024)} KiB`;
  const label = () => document.querySelectorAll(".demo-size").forEach((s) => (s.textContent = size));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
  // Why the module refused an export's arguments (web::last_error: a NUL-terminated string).
  window.scratchnetRefusal = function (wasm) {
    const at = wasm.last_error(); // first: a call may grow (and replace) the memory
    const bytes = new Uint8Array(wasm.memory.buffer, at);
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  };
  // What a self-test asked for (?selftest=NAME), and where its answer goes:
  // <pre id="selftest-result">, which the browser test reads (cargo xtask browser-test).
  window.scratchnetSelftest = new URLSearchParams(location.search).get("selftest");
  window.scratchnetReport = function (result) {
    const pre = document.createElement("pre");
    pre.id = "selftest-result";
    pre.textContent = JSON.stringify(result);
    document.body.appendChild(pre);
  };
})();
