// Confab loader: the only script a site embeds.
//
//   <script src="https://<edge>/widget.js" data-site="<site id>" async></script>
//
// It draws the launcher inside a Shadow DOM (no CSS leaks either way; styles go through
// constructable stylesheets, so it runs under a CSP without 'unsafe-inline'). Before the
// visitor shows intent it writes no cookie and no storage, and fetches one small JSON at most:
// when the tag sets no data-trigger, `GET …/triggers` names the dialogue targeting picks for
// this page, its triggers and its opening line for the teaser (the page's URL, referrer and
// Munchkin cookie go with it; the edge records nothing). It reads only the `confab:<site>`
// entry of sessionStorage, which exists once the visitor has used the chat in this tab (to
// reopen the chat after a navigation and to count time on site). Pointer
// over or focus on the launcher prefetches the widget, a click opens it. The chat itself is
// a Rust (wasm) app that draws into the panel and runs the conversation; this script
// keeps what is DOM and storage glue (far smaller in JavaScript than in wasm): the shadow
// root's stylesheets and the site's look, focus, the sound, and the tab's storage.
//
// Offline: while the browser has no connection, a line under the chat's header says so;
// once it is back, the events the chat could not send go (`unsent`, at most 100, kept with
// the tab's entry so a navigation does not lose them) and the chat tries again what failed
// (the chat itself, if it could not be loaded). Events the network did not carry while the
// browser thought it was online are tried again after 5 s, then twice as long each time (at
// most 5 min).
//
// Storage, once the visitor has interacted (never before): sessionStorage `confab:<site>`
// holds o (the panel is open), s (arrival, ms since the epoch), t (teaser dismissed),
// th (the site's look, as CSS, so later pages draw the launcher right away), nt (the site's
// branding turns the teaser off), u (events not sent yet, see Offline) and k (the key of the conversation, `confab:<site>:
// <dialogue>:<version>`, which holds what the widget gives to keep: the dialogue as
// published, the engine's state, the transcript; see widget/src/saved.rs).
//
// Optional attributes of the script tag:
//   data-trigger="time:10; scroll:50"  when to show the teaser ("poke") beside the launcher,
//                         instead of the triggers of the page's dialogue (set in the admin),
//                         any of (separated by `;`, the first to fire wins, once per page):
//     load              at once
//     time:N            after N seconds on this page
//     site:N            after N seconds on the site (counted from the first page on which the
//                       visitor opened the chat in this tab; otherwise like time:N)
//     scroll:P          once the page is scrolled P % of the way down
//     exit              when the pointer leaves through the top of the window (exit intent)
//     idle:N            after N seconds without pointer, key, scroll or touch input
//     visible:SELECTOR  when the first element matching the CSS selector (present when the
//                       loader starts) becomes visible
//     route             on a single-page app's route change (history.pushState,
//                       replaceState, popstate)
//   data-teaser="…"       the teaser's text (default: the dialogue's opening line, else "Hi! Can
//                         I help you with anything?");
//                         clicking it opens the chat, its × hides it for the session
//   data-position="left"  launcher on the left (default right), data-offset-x="20" and
//   data-offset-y="20"    its distance in px from the side and the bottom, data-color="#4f46e5"
//                         its colour: the look before the chat first opens; the site's branding
//                         from the edge applies once it has opened, and on the tab's later pages
//   data-prefetch="idle"  prefetch the widget when the browser is idle
//
// window.Confab:
//   open(), close()       open or close the chat
//   start(dialogueId)     open the chat on that dialogue (a trigger of its own)
//   identify({email, firstName, …})  tell the chat who the visitor is (kept until it opens)
//   on(name, fn)          events, also dispatched on window as CustomEvent "confab:<name>":
//     ready {site}, triggered {trigger, dialogue, version}, engaged {dialogue, version, card},
//     completed {dialogue, version}, closed {dialogue}, email_captured {dialogue, version,
//     email}, meeting_booked {agent, agent_id, start, end, meeting_id, dialogue, version},
//     goal_reached {dialogue, version, name, score}
(() => {
  const script = document.currentScript;
  if (!script || window.Confab) return;
  const attr = (name) => script.getAttribute("data-" + name);
  const site = attr("site") || "";
  const base = new URL(script.src).origin;
  const key = "confab:" + site;
  const api = base + "/api/v1/sites/" + encodeURIComponent(site);
  const unsent = [];
  let retryIn = 5e3, retrying;
  const listeners = {};
  const queue = [];
  let host, root, launcher, panel, teaser, loading, control, mounting, opened, fired, dismissed, dialogue, ready, wanted, asked;
  // The page's dialogue as the edge picked it for the triggers: {dialogue, triggers, teaser}.
  let pick = {};
  // look: the site's branding to remember in the tab (th: as CSS, nt: no teaser); sound: new
  // bot messages beep; want: focus follows the chat's controls (the visitor is using it);
  // audio: created on the visitor's first gesture in the chat.
  let setLook, look = {}, sound, want, audio;
  const read = (k) => {
    try {
      return JSON.parse(sessionStorage.getItem(k));
    } catch (e) { /* storage refused */ }
  };
  const write = (k, v) => {
    try {
      v ? sessionStorage.setItem(k, JSON.stringify(v)) : sessionStorage.removeItem(k);
    } catch (e) { /* storage refused or full: the chat goes on */ }
  };
  // Changes the tab's entry, which exists once the visitor has interacted (`first` creates it).
  const remember = (change, first) => {
    const p = read(key) || (first && { s: Math.round(performance.timeOrigin || Date.now()) });
    if (p) write(key, Object.assign(p, change));
    return p;
  };
  const saved = read(key) || {};

  function emit(name, detail) {
    detail = detail || {};
    (listeners[name] || []).forEach((fn) => {
      try { fn(detail); } catch (e) { /* a site's handler must not break the chat */ }
    });
    window.dispatchEvent(new CustomEvent("confab:" + name, { detail }));
  }

  // A stylesheet of the shadow root; returns its setter.
  function sheet() {
    let s;
    if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      s = new CSSStyleSheet();
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, s];
    } else root.appendChild((s = el("style")));
    return (css) => (s.replaceSync ? s.replaceSync(css) : (s.textContent = css));
  }

  // The launcher's place and the colours as CSS variables, from a branding (or the script
  // tag's attributes). Every variable is set, so none is inherited from the host page.
  const hex = (c, d) => (/^#[0-9a-f]{6}$/i.test(c) ? c : d);
  const px = (v) => (v >= 0 && v < 1e3 ? v : 20) + "px";
  const vars = (b) =>
    ".l,.p,.t{--b:" + px(b.offset_y) + ";" +
    (b.launcher_position === "left" ? "--l:" + px(b.offset_x) + ";--r:auto" : "--r:" + px(b.offset_x) + ";--l:auto") +
    ";--c:" + hex(b.primary_color, "#4f46e5") + ";--o:" + hex(b.on_primary_color, "#fff") +
    ";--g:" + hex(b.background_color, "#fff") + ";--t:" + hex(b.text_color, "#1f2937") + "}";

  // The site's branding from the edge (`Branding` in confab-domain): colours, side and
  // offsets, font (or the page's), avatar, privacy link, teaser, sound. Only checked values
  // reach the stylesheet and the page.
  function brand(b) {
    const font = b.font === "inherit" ? getComputedStyle(document.body).fontFamily : b.font || "";
    const css = vars(b) + (/^[\w ,'"-]{1,200}$/.test(font) ? ".p,.tm{font-family:" + font + "}" : "");
    const avatar = panel.querySelector("img.avatar");
    const privacy = panel.querySelector("a.privacy");
    look = { th: css, nt: b.teaser === false ? 1 : 0 };
    sound = b.sound === true;
    setLook(css);
    remember(look);
    if (avatar && /^(https:|data:image\/)/.test(b.avatar)) {
      avatar.src = b.avatar;
      avatar.hidden = false;
    }
    if (privacy && /^https:\/\//.test(b.privacy_url)) {
      privacy.href = b.privacy_url;
      privacy.hidden = false;
    }
  }

  // Moves focus to the first control of the chat's input area (or, with none and the bot not
  // busy, to the chat itself), unless focus is elsewhere on the page or on another control.
  function focusInput(busy) {
    const inner = root.activeElement;
    const outer = document.activeElement;
    if (!want || !opened || (outer && outer !== host && outer !== document.body) ||
      (inner && inner !== panel && inner.className !== "chat")) return;
    const target = panel.querySelector(".input input,.input button") || (!busy && panel.querySelector(".chat"));
    if (target) target.focus();
  }

  // A short, quiet beep for a new bot message, once the visitor's gesture allowed audio.
  function beep() {
    if (!audio) return;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.05;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.12);
  }

  // Messages from the widget. Internal ones: `style` (its CSS), `look` (the branding),
  // `input` (its controls changed; detail: the bot is busy), `said` (a bot message),
  // `interacted` (storage may be used from now on), `keep` (the conversation to keep, or null
  // to forget it), `close` (its header's button), `unsent` (an event's request body the
  // network did not carry). The rest go to the site; `triggered` once
  // per page.
  function fromWidget(name, detail) {
    if (name === "style") return sheet()(detail);
    if (name === "look") return brand(detail || {});
    if (name === "input") return requestAnimationFrame(() => focusInput(detail));
    if (name === "said") return sound && beep();
    if (name === "interacted") return remember(Object.assign({ o: opened }, look), 1);
    if (name === "keep") {
      const d = detail && detail.dialogue;
      const k = d && key + ":" + d.id + ":" + d.version;
      const p = remember({ k });
      if (p && p.k !== saved.k && saved.k) write(saved.k, null);
      if (p && k) write(k, detail);
      saved.k = k;
      return;
    }
    if (name === "close") return close();
    if (name === "unsent") {
      if (unsent.length < 100) unsent.push(detail);
      keepUnsent();
      return later();
    }
    if (detail && detail.dialogue) dialogue = detail.dialogue;
    if (name === "triggered") {
      if (fired) return;
      fired = 1;
    }
    emit(name, detail);
  }

  function send(command, arg) {
    control ? control(command, arg) : queue.push([command, arg]);
  }

  function load() {
    if (!loading) {
      loading = import(base + "/widget/confab_widget.js").then((m) =>
        m.default({ module_or_path: base + "/widget/confab_widget_bg.wasm" }).then(() => m));
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  // The events not sent yet go with the tab's entry (which exists once the visitor interacted).
  const keepUnsent = () => remember({ u: unsent.length ? unsent : undefined });

  // Sends the events the network did not carry (finishing even if the page is left); those it
  // still does not are tried again later.
  function resend() {
    clearTimeout(retrying);
    retrying = 0;
    if (!unsent.length) return;
    unsent.splice(0).forEach((body) => fetch(api + "/events", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), keepalive: true,
    }).then(() => { retryIn = 5e3; }, () => {
      unsent.push(body);
      keepUnsent();
      later();
    }));
    keepUnsent();
  }

  function later() {
    if (retrying) return;
    retrying = setTimeout(resend, retryIn);
    retryIn = Math.min(retryIn * 2, 3e5);
  }

  // The connection changed (or the chat was just mounted): the offline line, and back online
  // what failed is tried again.
  function connection() {
    const note = panel.querySelector(".offline");
    if (note) note.textContent = navigator.onLine ? "" : "You're offline. The chat will carry on when your connection is back.";
    if (!navigator.onLine) return;
    resend();
    if (control) control("online");
    else if (opened && !mounting) mount();
  }

  // `visitor`: the visitor asked (launcher, teaser); `quiet`: reopened after a navigation,
  // focus stays where it is.
  function open(visitor, quiet, start) {
    if (!panel) return;
    teaser.textContent = "";
    if (start) control ? control("start", start) : (wanted = start);
    if (opened) return;
    opened = 1;
    want = !quiet;
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!quiet) panel.focus();
    remember({ o: 1 });
    if (control) return control("open", { visitor });
    asked = visitor || quiet;
    if (!mounting) mount();
  }

  // Loads the chat and mounts it in the panel (`asked`: the visitor opened it).
  function mount() {
    mounting = 1;
    panel.textContent = "";
    panel.setAttribute("aria-busy", "true");
    load().then((m) => {
      panel.removeAttribute("aria-busy");
      const kept = saved.k && read(saved.k);
      m.mount(panel, base, site, fromWidget, { visitor: asked, dialogue: wanted, kept });
      control = m.control;
      queue.splice(0).forEach((c) => control(c[0], c[1]));
      connection();
    }, () => {
      mounting = 0;
      panel.removeAttribute("aria-busy");
      const failed = el("p", "f", "The chat could not be loaded. " +
        (navigator.onLine ? "Please try again later." : "It will try again when your connection is back."));
      failed.setAttribute("role", "alert");
      panel.append(failed);
    });
  }

  function close() {
    if (!opened) return;
    opened = want = 0;
    remember({ o: 0 });
    if (panel.contains(root.activeElement)) launcher.focus();
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    if (control) control("close");
    emit("closed", { dialogue });
  }

  function el(tag, cls, text, label) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (tag === "button") e.type = "button";
    if (text) e.textContent = text;
    if (label) e.setAttribute("aria-label", label);
    return e;
  }

  function trigger(spec) {
    if (fired || opened || dismissed || saved.t || saved.nt || look.nt) return;
    fired = 1;
    const message = el("button", "tm", attr("teaser") || pick.teaser || "Hi! Can I help you with anything?");
    const dismiss = el("button", "tx", "×", "Dismiss message");
    message.onclick = () => open(1);
    message.onpointerenter = load;
    dismiss.onclick = () => {
      dismissed = 1;
      teaser.textContent = "";
      launcher.focus();
      // Remembered for the session only when the visitor already let the chat keep state.
      remember({ t: 1 });
    };
    teaser.append(message, dismiss);
    emit("triggered", { trigger: spec, dialogue: pick.dialogue || null, version: null });
  }

  function watch(spec) {
    const at = spec.indexOf(":");
    const kind = at < 0 ? spec : spec.slice(0, at);
    const arg = spec.slice(at + 1).trim();
    const ms = (+arg || 0) * 1e3;
    const fire = () => trigger(spec);
    const on = (target, type, fn) => target.addEventListener(type, fn, { passive: true, capture: true });
    if (kind === "load") fire();
    if (kind === "time" || kind === "site") {
      setTimeout(fire, ms - (kind === "site" && saved.s ? Date.now() - saved.s : performance.now()));
    }
    if (kind === "scroll") {
      const check = () => {
        const max = document.documentElement.scrollHeight - innerHeight;
        if (max > 0 && (scrollY / max) * 100 >= +arg) fire();
      };
      on(window, "scroll", check);
    }
    if (kind === "exit") on(document, "mouseout", (e) => { if (!e.relatedTarget && e.clientY <= 0) fire(); });
    if (kind === "idle") {
      let timer;
      const reset = () => { clearTimeout(timer); timer = setTimeout(fire, ms); };
      ["pointermove", "pointerdown", "keydown", "scroll", "touchstart"].forEach((type) => on(window, type, reset));
      reset();
    }
    if (kind === "visible") {
      const target = document.querySelector(arg);
      if (target) new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) fire(); }).observe(target);
    }
    if (kind === "route") {
      const where = () => location.pathname + location.search;
      const was = where();
      const changed = () => { if (where() !== was) fire(); };
      ["pushState", "replaceState"].forEach((name) => {
        const original = history[name];
        history[name] = function () {
          const result = original.apply(this, arguments);
          changed();
          return result;
        };
      });
      on(window, "popstate", changed);
    }
  }

  function start() {
    const css =
      ":host{all:initial!important}" +
      ".l,.p,.t{position:fixed;z-index:2147483000;right:var(--r);left:var(--l);bottom:var(--b);" +
      "font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--t)}" +
      ".l{width:56px;height:56px;border-radius:50%;border:0;padding:0;margin:0;background:var(--c);color:var(--o);" +
      "cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}" +
      ".l:focus-visible,.t button:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}" +
      ".p{bottom:calc(var(--b) + 68px);width:min(380px,calc(100vw - 24px));" +
      "height:min(560px,calc(100vh - 110px));border-radius:14px;overflow:hidden;background:var(--g);" +
      "box-shadow:0 10px 40px rgba(0,0,0,.25)}" +
      ".p:focus{outline:0}.p[hidden],.t:empty{display:none}.f{margin:16px}" +
      ".t{bottom:calc(var(--b) + 68px);display:flex;align-items:flex-start;gap:6px;max-width:min(300px,calc(100vw - 40px))}" +
      ".t button{font:inherit;color:inherit;border:0;margin:0;background:var(--g);cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.2)}" +
      ".tm{padding:10px 14px;border-radius:14px;text-align:start}" +
      ".tx{flex:none;width:26px;height:26px;padding:0;border-radius:50%;font-size:18px;line-height:1}" +
      "@media (max-width:480px){.p{inset:0;width:auto;height:auto;border-radius:0}}" +
      vars({ primary_color: attr("color"), launcher_position: attr("position"),
        offset_x: parseInt(attr("offset-x")), offset_y: parseInt(attr("offset-y")) });
    host = document.createElement("div");
    host.setAttribute("data-confab", "");
    root = host.attachShadow({ mode: "open" });
    sheet()(css);
    setLook = sheet();
    setLook(saved.th || "");
    launcher = el("button", "l", "", "Open chat");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "confab-panel");
    launcher.innerHTML =
      '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
      '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
    panel = el("div", "p");
    panel.id = "confab-panel";
    panel.tabIndex = -1;
    panel.hidden = true;
    teaser = el("div", "t");
    teaser.setAttribute("role", "status");
    launcher.onclick = () => (opened ? close() : open(1));
    launcher.addEventListener("pointerenter", load, { once: true });
    launcher.addEventListener("focus", load, { once: true });
    root.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      if (opened) close();
      else if (teaser.firstChild) teaser.lastChild.click();
    });
    // A gesture in the chat: focus follows its controls, and audio may start.
    const gesture = () => {
      want = 1;
      if (sound && !audio && window.AudioContext) audio = new AudioContext();
    };
    panel.addEventListener("pointerdown", gesture);
    panel.addEventListener("keydown", gesture);
    addEventListener("online", connection);
    addEventListener("offline", connection);
    root.append(teaser, launcher, panel);
    document.body.appendChild(host);
    if (attr("prefetch") === "idle" && window.requestIdleCallback) requestIdleCallback(load);
    ready = { site };
    emit("ready", ready);
    if (saved.o) open(1, 1);
    // Events an earlier page of this tab could not send.
    if (Array.isArray(saved.u) && saved.u.length) {
      unsent.push(...saved.u.slice(0, 100));
      navigator.onLine ? resend() : later();
    }
    const watchAll = (specs) => specs.forEach((spec) => {
      try {
        if (spec.trim()) watch(spec.trim());
      } catch (e) { /* a wrong selector or trigger is ignored */ }
    });
    if (attr("trigger") !== null) return watchAll(attr("trigger").split(";"));
    const q = encodeURIComponent;
    const mkto = (document.cookie.match(/(?:^|; )_mkto_trk=([^;]+)/) || [])[1];
    fetch(api + "/triggers?url=" + q(location.href) + "&referrer=" + q(document.referrer) +
      (mkto ? "&mkto=" + q(mkto) : ""))
      .then((r) => r.ok && r.json())
      .then((p) => {
        pick = p || {};
        watchAll(pick.triggers || []);
      }, () => { /* no triggers: the launcher waits for a click */ });
  }

  window.Confab = {
    open: () => open(),
    close,
    start: (id) => open(0, 0, String(id)),
    identify: (who) => send("identify", who),
    on(name, fn) {
      (listeners[name] = listeners[name] || []).push(fn);
      if (name === "ready" && ready) fn(ready);
    },
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
