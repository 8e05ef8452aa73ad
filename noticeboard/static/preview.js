// The preview's reload (python build.py serve). Only the preview serves this file, at /_preview/preview.js,
// a file of the page's own origin since the pages' Content-Security-Policy refuses inline scripts; a built
// site never has it. The page waits on the preview's socket, naming the build it shows, and reloads when the
// preview says so: after a rebuild, or at once when the page's build is no longer the preview's.
(() => {
  const { build, socket: path, retry } = document.currentScript.dataset;
  const address = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}?build=${build}`;

  function listen() {
    const socket = new WebSocket(address);
    socket.addEventListener("message", () => location.reload());
    // The preview stopped, or is starting again: ask again (a restarted preview has another build).
    socket.addEventListener("close", () => setTimeout(listen, Number(retry)));
  }

  listen();
})();
