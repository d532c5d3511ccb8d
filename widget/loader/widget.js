// Confab loader: the only script a site embeds.
//
//   <script src="https://<edge>/widget.js" data-site="<site id>" async></script>
//
// It draws the launcher inside a Shadow DOM (no CSS leaks either way) and fetches nothing
// else, writes no cookie and no storage, until the visitor shows intent: pointer over or
// focus on the launcher prefetches the widget, a click opens it. `data-prefetch="idle"`
// opts into prefetching when the browser is idle. The chat itself is a Leptos (wasm) app
// that renders into the panel.
(function () {
  var script = document.currentScript;
  if (!script || window.Confab) return;
  var site = script.getAttribute("data-site") || "";
  var base = new URL(script.src).origin;
  var listeners = {};
  var host, root, launcher, panel, loading, mounted, opened;

  function emit(name, detail) {
    (listeners[name] || []).forEach(function (fn) {
      try { fn(detail); } catch (e) { /* a site's handler must not break the chat */ }
    });
  }

  function load() {
    if (!loading) {
      loading = import(base + "/widget/confab_widget.js").then(function (m) {
        return m.default({ module_or_path: base + "/widget/confab_widget_bg.wasm" }).then(function () { return m; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function open() {
    if (opened) return;
    opened = true;
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!mounted) {
      panel.setAttribute("aria-busy", "true");
      load().then(function (m) {
        mounted = true;
        panel.removeAttribute("aria-busy");
        m.mount(panel, base, site, function (name, detail) { name === "close" ? close() : emit(name, detail); });
      }, function () {
        panel.textContent = "The chat could not be loaded. Please try again later.";
      });
    }
  }

  function close() {
    if (!opened) return;
    opened = false;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
    emit("closed");
  }

  function start() {
    host = document.createElement("div");
    host.setAttribute("data-confab", "");
    root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial}" +
      ".l{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;" +
      "background:#4f46e5;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}" +
      ".l:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}" +
      ".p{position:fixed;bottom:88px;right:20px;z-index:2147483000;width:min(380px,calc(100vw - 24px));" +
      "height:min(560px,calc(100vh - 110px));border-radius:14px;overflow:hidden;background:#fff;" +
      "box-shadow:0 10px 40px rgba(0,0,0,.25);font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111827}" +
      ".p[hidden]{display:none}" +
      "@media (max-width:480px){.p{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}}";
    launcher = document.createElement("button");
    launcher.className = "l";
    launcher.type = "button";
    launcher.setAttribute("aria-label", "Open chat");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "confab-panel");
    launcher.innerHTML =
      '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
      '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
    panel = document.createElement("div");
    panel.className = "p";
    panel.id = "confab-panel";
    panel.hidden = true;
    launcher.addEventListener("click", function () { opened ? close() : open(); });
    launcher.addEventListener("pointerenter", load, { once: true });
    launcher.addEventListener("focus", load, { once: true });
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
    panel.addEventListener("confab-close", close);
    root.appendChild(style);
    root.appendChild(launcher);
    root.appendChild(panel);
    document.body.appendChild(host);
    if (script.getAttribute("data-prefetch") === "idle" && window.requestIdleCallback) requestIdleCallback(load);
    emit("ready");
  }

  window.Confab = {
    open: open,
    close: close,
    on: function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); }
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
