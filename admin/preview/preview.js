// The admin's live preview of a draft dialogue: loads the real loader (/widget.js) as a
// customer's page does, with no triggers of its own, and starts the dialogue named in the
// address. The edge recognises these calls as a preview (same origin, signed-in admin) and
// records nothing. A preview always starts afresh: the tab's saved conversation is dropped.
(() => {
  const params = new URLSearchParams(location.search);
  const site = params.get("site") || "demo";
  const dialogue = params.get("dialogue") || "";
  const status = document.getElementById("preview-status");
  try {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith("confab")) sessionStorage.removeItem(key);
    }
  } catch (e) { /* storage blocked: nothing to drop */ }
  const script = document.createElement("script");
  script.src = "/widget.js";
  script.async = true;
  script.setAttribute("data-site", site);
  script.setAttribute("data-trigger", "");
  script.setAttribute("data-prefetch", "idle");
  script.onload = () => {
    if (!window.Confab) return;
    window.Confab.on("ready", () => { status.textContent = "The chat is open."; });
    window.Confab.start(dialogue);
  };
  script.onerror = () => { status.textContent = "The widget could not be loaded."; };
  document.head.appendChild(script);
})();
