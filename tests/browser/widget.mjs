// The visitor widget in headless Chromium, on the demo host site (another origin than the
// edge). Run by tests/tests/widget_browser.rs with SCENARIO set to one of the journeys below;
// prints one line per step and exits non-zero on failure. Screenshots go to
// $SCREENSHOTS/widget-<name>.png.
import { check, launch, run, runScenario } from "./harness.mjs";

const { DEMO_URL, EDGE_URL, SCREENSHOTS, CHROMIUM, SCENARIO } = process.env;
const TIMEOUT = 20_000;
const site = new URL(DEMO_URL);

const browser = await launch(CHROMIUM);
const state = run();
const { problems, log } = state;

async function shot(page, name) {
  await page.screenshot({ path: `${SCREENSHOTS}/widget-${name}.png` });
  console.log(`screenshot: widget-${name}.png`);
}


// A fresh visitor: a new browser context (no cookie, no storage) and a page whose errors,
// console errors and network requests are recorded. With `offline`, the console errors
// Chromium logs for requests made while the context is offline, or that the test aborts,
// are expected and left out.
async function visitor(options = {}, { offline } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Europe/Paris", ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.requests = [];
  page.on("request", (r) => page.requests.push(r.url()));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (offline && m.type() === "error" && /net::ERR_(INTERNET_DISCONNECTED|FAILED)\b/.test(m.text())) return;
    if (m.type() === "error" || /Content.Security.Policy/i.test(m.text())) {
      problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
    }
  });
  return { context, page };
}

const launcher = (page) => page.locator('button[aria-label="Open chat"]');
const panel = (page) => page.locator("#confab-panel");
const teaser = (page) => page.locator("button.tm");

// What the host page has stored: cookies and both storages.
async function stored(page) {
  return page.evaluate(() => ({
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    keys: Object.keys(localStorage).concat(Object.keys(sessionStorage)),
  }));
}

// The element focused inside the widget's shadow root, described.
async function focused(page) {
  return page.evaluate(() => {
    const host = document.querySelector("[data-confab]");
    if (document.activeElement !== host) return { outside: true, tag: document.activeElement?.tagName };
    const active = host.shadowRoot.activeElement;
    const panel = host.shadowRoot.getElementById("confab-panel");
    return {
      outside: false,
      inPanel: !!active && panel.contains(active),
      label: active && (active.getAttribute("aria-label") || active.textContent.trim()),
    };
  });
}

async function transcript(page) {
  return (await page.locator("#confab-panel .msg:not(.typing)").allTextContents()).map((t) => t.trim());
}

async function noStorageYet(page, when) {
  const s = await stored(page);
  check(!s.cookie && s.local === 0 && s.session === 0, `something was stored ${when}: ${JSON.stringify(s)}`);
}

// The page's time since navigation, in ms.
const now = (page) => page.evaluate(() => performance.now());

const scenarios = {
  // Strict CSP (no 'unsafe-inline') and global CSS that resets and defaces every element.
  async strict() {
    const { page } = await visitor();
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation",
        (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
    });
    log("strict page with hostile CSS");
    const response = await page.goto(new URL("/strict", site).href);
    check(/style-src 'self'/.test(response.headers()["content-security-policy"] || ""), "the page has no strict CSP");
    await launcher(page).waitFor();
    const box = await launcher(page).boundingBox();
    check(box && Math.round(box.width) === 56 && box.x > 1280 - 120 && box.y > 860 - 120,
      `the launcher is misplaced or resized by the page's CSS: ${JSON.stringify(box)}`);
    const colour = await launcher(page).evaluate((b) => getComputedStyle(b).backgroundColor);
    check(colour === "rgb(79, 70, 229)", `the launcher's colour is ${colour}`);
    await shot(page, "strict-launcher");

    log("open and answer");
    await launcher(page).click();
    await page.getByText("What brings you here today?").waitFor();
    const panelBox = await panel(page).boundingBox();
    check(panelBox && panelBox.width >= 300 && panelBox.width <= 400 && panelBox.y >= 0,
      `the panel is misplaced: ${JSON.stringify(panelBox)}`);
    const choice = page.getByRole("button", { name: "Just browsing" });
    const style = await choice.evaluate((b) => { const s = getComputedStyle(b); return `${s.color} ${s.borderStyle}`; });
    check(!style.includes("rgb(255, 0, 0)") && !style.includes("dashed"), `the page's button CSS leaked in: ${style}`);
    await shot(page, "strict-question");
    await choice.click();
    await page.getByText("No problem. I'm here if you need anything.").waitFor();
    await page.getByText("This conversation has ended.").waitFor();
    await shot(page, "strict-answered");
    const violations = await page.evaluate(() => window.__violations);
    check(violations.length === 0, `CSP violations: ${violations.join("; ")}`);
    check(page.requests.some((u) => u.endsWith("/confab_widget_bg.wasm")), "the wasm was not loaded");

    log("below 480 px the chat is full screen");
    await page.setViewportSize({ width: 375, height: 700 });
    const full = await panel(page).boundingBox();
    check(full && full.x === 0 && full.y === 0 && full.width === 375 && full.height === 700,
      `the panel is not full screen on a narrow screen: ${JSON.stringify(full)}`);
    await shot(page, "strict-narrow");
  },

  // Keyboard only, then the page's own script driving window.Confab; nothing stored before
  // the visitor interacts.
  async keyboard() {
    const { context, page } = await visitor();
    log("nothing stored and only the triggers fetched before any interaction");
    await page.goto(DEMO_URL);
    await launcher(page).waitFor();
    await page.waitForTimeout(1000);
    await noStorageYet(page, "before any interaction");
    check((await context.cookies()).length === 0, "a cookie was set before any interaction");
    // The loader and the page's triggers (a small JSON naming the dialogue), nothing else.
    const asked = page.requests.filter((u) => u.startsWith(EDGE_URL)).map((u) => new URL(u).pathname);
    check(JSON.stringify(asked) === JSON.stringify(["/widget.js", "/api/v1/sites/demo/triggers"]),
      `the edge was asked for more than the loader and the triggers: ${page.requests.join(" ")}`);

    log("Tab to the launcher");
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press("Tab");
      const f = await focused(page);
      reached = !f.outside && f.label === "Open chat";
    }
    check(reached, "Tab never reached the launcher");
    await noStorageYet(page, "when the launcher got focus (prefetch only)");
    await shot(page, "keyboard-launcher-focused");

    log("Enter opens, focus moves inside");
    await page.keyboard.press("Enter");
    await page.getByText("What brings you here today?").waitFor();
    await page.locator("#confab-panel button.choice").first().waitFor();
    await page.waitForFunction(() => {
      const root = document.querySelector("[data-confab]").shadowRoot;
      return root.activeElement && root.activeElement.classList.contains("choice");
    });
    const inside = await focused(page);
    check(inside.inPanel, `focus is not inside the panel: ${JSON.stringify(inside)}`);
    log("answer with the keyboard");
    for (let i = 0; i < 5 && (await focused(page)).label !== "Just browsing"; i++) await page.keyboard.press("Tab");
    check((await focused(page)).label === "Just browsing", "Tab does not reach the second answer");
    await page.keyboard.press("Enter");
    await page.getByText("No problem. I'm here if you need anything.").waitFor();
    await page.getByText("This conversation has ended.").waitFor();
    check((await focused(page)).inPanel, "focus left the panel while the bot answered");
    await shot(page, "keyboard-answered");
    const after = await stored(page);
    check(after.keys.includes("confab:demo") && after.keys.includes("confab_vid"),
      `the conversation is not kept after the visitor interacted: ${JSON.stringify(after)}`);

    log("Escape closes, focus returns to the launcher");
    await page.keyboard.press("Escape");
    await panel(page).waitFor({ state: "hidden" });
    const back = await focused(page);
    check(!back.outside && back.label === "Open chat", `focus did not return to the launcher: ${JSON.stringify(back)}`);
    await shot(page, "keyboard-closed");

    log("the page's own script: Confab.identify, open, close, events");
    const api = await visitor();
    await api.page.goto(new URL("/pricing", site).href);
    await api.page.waitForFunction(() => window.Confab);
    await api.page.evaluate(() => {
      window.__events = [];
      for (const name of ["ready", "triggered", "engaged", "completed", "closed"]) {
        Confab.on(name, (detail) => window.__events.push([name, detail]));
      }
      Confab.identify({ email: "ada@example.com", firstName: "Ada" });
    });
    await api.page.getByRole("button", { name: "Talk to sales" }).click();
    await api.page.getByText("Hi Ada! I'm Confab").waitFor();
    // The greeting is followed by the question; the transcript is compared once it waits there.
    await api.page.locator("#confab-panel button.choice").first().waitFor();
    await noStorageYet(api.page, "when the page (not the visitor) opened the chat");
    await api.page.getByRole("button", { name: "Hide the chat" }).click();
    await panel(api.page).waitFor({ state: "hidden" });
    await api.page.evaluate(() => Confab.open());
    await panel(api.page).waitFor({ state: "visible" });
    await api.page.evaluate(() => Confab.close());
    await panel(api.page).waitFor({ state: "hidden" });
    const before = await transcript(api.page);
    await api.page.evaluate(() => Confab.start("welcome"));
    await panel(api.page).waitFor({ state: "visible" });
    await api.page.waitForTimeout(500);
    check(JSON.stringify(await transcript(api.page)) === JSON.stringify(before),
      "Confab.start on the dialogue already running started it over");
    await api.page.evaluate(() => Confab.close());
    await panel(api.page).waitFor({ state: "hidden" });
    const events = await api.page.evaluate(() => window.__events);
    const names = events.map((e) => e[0]);
    check(names[0] === "ready" && names.filter((n) => n === "closed").length === 3,
      `unexpected events: ${JSON.stringify(events)}`);
    const triggered = events.find((e) => e[0] === "triggered");
    check(triggered && triggered[1].dialogue === "welcome" && triggered[1].version === 1,
      `triggered without its dialogue: ${JSON.stringify(events)}`);
    await api.page.locator("#confab-events li", { hasText: "closed" }).first().waitFor();
    await shot(api.page, "api-events-on-the-page");
    await api.context.close();
  },

  // Two answers on one page, the next page resumes at the same card, the booking is
  // announced to the page's listeners, Restart starts over.
  async navigation() {
    const { page } = await visitor();
    log("answer two questions on the home page");
    await page.goto(DEMO_URL);
    await page.evaluate(() => {
      window.__engaged = [];
      Confab.on("engaged", (detail) => window.__engaged.push(detail));
    });
    await launcher(page).click();
    await page.getByRole("button", { name: "Book a meeting" }).click();
    const slot = page.locator("button.slot").first();
    await slot.waitFor();

    log("More times shows the next twelve, and focus moves to the first of them");
    const slots = page.locator("#confab-panel button.slot");
    const first = await slots.count();
    check(first === 12, `${first} slots shown at first, not 12`);
    await page.getByRole("button", { name: "More times" }).click();
    await slots.nth(12).waitFor();
    const shown = await slots.count();
    check(shown > 12 && shown <= 24, `${shown} slots after More times`);
    const thirteenth = await slots.nth(12).getAttribute("aria-label");
    const moved = await focused(page);
    check(moved.label === thirteenth, `focus after More times: ${JSON.stringify(moved)}, not "${thirteenth}"`);

    log("Back returns to the question; the same answer offers the slots again");
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await page.getByRole("button", { name: "Book a meeting" }).waitFor();
    check((await slots.count()) === 0, "the slots stayed after Back");
    await page.getByRole("button", { name: "Book a meeting" }).click();
    await slot.waitFor();
    const start = await slot.getAttribute("data-start");
    await slot.click();
    await page.locator("#confab-email").waitFor();
    const before = await transcript(page);
    check(before.length >= 5, `short transcript: ${JSON.stringify(before)}`);
    const engaged = await page.evaluate(() => window.__engaged);
    check(engaged.length === 1 && engaged[0].dialogue === "welcome" && engaged[0].card === "intent",
      `engaged: ${JSON.stringify(engaged)}`);
    await shot(page, "navigation-before");

    log("go to the pricing page");
    await page.getByRole("link", { name: "Pricing" }).click();
    await page.waitForURL("**/pricing");
    await page.locator("#confab-email").waitFor();
    const after = await transcript(page);
    check(JSON.stringify(after) === JSON.stringify(before),
      `the transcript changed across the navigation:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
    check(await panel(page).isVisible(), "the panel did not reopen");
    check((await focused(page)).outside, "the reopened chat took focus from the page");
    await shot(page, "navigation-resumed");

    log("book, and the page hears of it");
    await page.evaluate(() => {
      window.__booked = [];
      Confab.on("meeting_booked", (detail) => window.__booked.push(detail));
      window.addEventListener("confab:meeting_booked", (e) => window.__booked.push(e.detail));
    });
    await page.locator("#confab-email").fill("grace@example.org");
    const request = page.waitForRequest((r) => r.url().endsWith("/bookings") && r.method() === "POST");
    await page.getByRole("button", { name: "Book", exact: true }).click();
    // What the booking carries for routing: the slot, the email, the meeting's length, the
    // dialogue, the visitor and the answers so far.
    const body = (await request).postDataJSON();
    check(body.start === start && body.email === "grace@example.org" && body.duration_minutes === 30 &&
      body.dialogue_id === "welcome" && /^[\w-]{8,}$/.test(body.visitor_id) &&
      JSON.stringify(body.answers) === JSON.stringify({ intent: "book" }),
      `the booking request: ${JSON.stringify(body)}`);
    const confirmation = page.getByText(/You're booked with Agent \d/);
    await confirmation.waitFor();
    const text = await confirmation.textContent();
    const booked = await page.evaluate(() => window.__booked);
    check(booked.length === 2, `meeting_booked reached ${booked.length} of 2 listeners`);
    const detail = booked[0];
    check(/^Agent \d$/.test(detail.agent) && text.includes(detail.agent) && /^agent-\d$/.test(detail.agent_id),
      `meeting_booked names the wrong agent: ${JSON.stringify(detail)} vs "${text}"`);
    check(detail.meeting_id && Date.parse(detail.start) === Date.parse(start) && detail.dialogue === "welcome",
      `meeting_booked detail: ${JSON.stringify(detail)} (slot ${start})`);
    await page.locator("#confab-events li", { hasText: "meeting_booked" }).waitFor();
    await page.getByText("This conversation has ended.").waitFor();
    // The page's own script heard the rest of the conversation too.
    await page.locator("#confab-events li", { hasText: 'email_captured {"dialogue":"welcome","version":1,"email":"grace@example.org"}' }).waitFor();
    await page.locator("#confab-events li", { hasText: 'completed {"dialogue":"welcome","version":1}' }).waitFor();
    await shot(page, "navigation-booked");

    log("a reload resumes too; Restart starts over");
    await page.reload();
    await page.getByText("This conversation has ended.").waitFor();
    await page.getByRole("button", { name: "Restart the conversation" }).click();
    await page.getByText("What brings you here today?").waitFor();
    await page.getByRole("button", { name: "Book a meeting" }).waitFor();
    const restarted = await transcript(page);
    check(restarted.length === 2, `Restart left ${JSON.stringify(restarted)}`);
    // The conversation kept for the next page is the new one, waiting at the first question.
    await page.waitForFunction(() => {
      const pointer = JSON.parse(sessionStorage.getItem("confab:demo"));
      const kept = pointer && pointer.k && JSON.parse(sessionStorage.getItem(pointer.k));
      return kept && kept.state.waiting_at === "intent" && kept.state.answers.length === 0 && kept.lines.length === 2;
    }, null, { timeout: 5000 });
    await shot(page, "navigation-restarted");
  },

  // Triggers show the teaser; nothing is fetched or stored until the visitor acts.
  async triggers() {
    log("time:2");
    let { context, page } = await visitor();
    await page.goto(new URL("/triggers/time", site).href);
    await launcher(page).waitFor();
    while ((await now(page)) < 1000) await page.waitForTimeout(50);
    check((await teaser(page).count()) === 0, "the time:2 teaser showed before 1 s");
    await teaser(page).waitFor();
    const shown = await now(page);
    check(shown >= 2000 && shown < 6000, `the time:2 teaser showed after ${Math.round(shown)} ms`);
    console.log(`time:2 teaser after ${Math.round(shown)} ms`);
    await page.locator("#confab-events li", { hasText: '"trigger":"time:2"' }).waitFor();
    await noStorageYet(page, "when the teaser showed");
    check(!page.requests.some((u) => u.includes("/widget/") || u.includes("/api/")), "a trigger fetched the widget");
    await shot(page, "trigger-time-teaser");
    log("the teaser's × hides it, in memory only");
    await page.getByRole("button", { name: "Dismiss message" }).click();
    check((await teaser(page).count()) === 0, "the teaser stayed");
    await noStorageYet(page, "when the teaser was dismissed");
    await context.close();

    log("load: the teaser at once");
    ({ context, page } = await visitor());
    // The event fires as the loader starts, which may be before the page's own script has
    // registered its listener: it is caught from the page's first script on.
    await page.addInitScript(() => {
      window.__triggered = [];
      addEventListener("confab:triggered", (e) => window.__triggered.push(e.detail));
    });
    await page.goto(new URL("/triggers/load", site).href);
    await teaser(page).waitFor();
    const loaded = await now(page);
    check(loaded < 1500, `the load teaser showed after ${Math.round(loaded)} ms`);
    const fired = await page.evaluate(() => window.__triggered.map((d) => d.trigger));
    check(JSON.stringify(fired) === '["load"]', `triggered events on the load page: ${JSON.stringify(fired)}`);
    await noStorageYet(page, "when the load teaser showed");
    await context.close();

    log("site:3 on a first page: counted from the page's start, like time:3");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/site", site).href);
    await launcher(page).waitFor();
    while ((await now(page)) < 2000) await page.waitForTimeout(50);
    check((await teaser(page).count()) === 0, "the site:3 teaser showed before 2 s");
    await teaser(page).waitFor();
    const siteShown = await now(page);
    check(siteShown >= 3000 && siteShown < 7000, `the site:3 teaser showed after ${Math.round(siteShown)} ms`);
    await page.locator("#confab-events li", { hasText: '"trigger":"site:3"' }).waitFor();
    await noStorageYet(page, "when the site:3 teaser showed");
    await context.close();

    log("clicking the teaser opens the chat");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/time", site).href);
    await teaser(page).click();
    await page.getByText("What brings you here today?").waitFor();
    await shot(page, "trigger-teaser-opened");
    await context.close();

    log("scroll:50");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/scroll", site).href);
    await launcher(page).waitFor();
    const scrollTo = (share) => page.evaluate((s) =>
      window.scrollTo(0, s * (document.documentElement.scrollHeight - innerHeight)), share);
    await scrollTo(0.3);
    await page.waitForTimeout(800);
    check((await teaser(page).count()) === 0, "the scroll:50 teaser showed at 30 %");
    await scrollTo(0.6);
    await teaser(page).waitFor({ timeout: 3000 });
    await shot(page, "trigger-scroll-teaser");
    await context.close();

    log("exit");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/exit", site).href);
    await launcher(page).waitFor();
    await page.mouse.move(640, 400);
    await page.mouse.move(640, 200, { steps: 4 });
    check((await teaser(page).count()) === 0, "the exit teaser showed while the pointer stayed in");
    await page.mouse.move(640, -20, { steps: 4 });
    await teaser(page).waitFor({ timeout: 3000 });
    await context.close();

    log("idle:2");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/idle", site).href);
    await launcher(page).waitFor();
    for (let i = 0; i < 8; i++) {
      await page.mouse.move(100 + i * 20, 300);
      await page.waitForTimeout(400);
    }
    check((await teaser(page).count()) === 0, "the idle teaser showed while the visitor moved");
    await teaser(page).waitFor({ timeout: 4000 });
    await context.close();

    log("visible:#plans");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/visible", site).href);
    await launcher(page).waitFor();
    await page.waitForTimeout(500);
    check((await teaser(page).count()) === 0, "the visible teaser showed before #plans was visible");
    await page.locator("#plans").scrollIntoViewIfNeeded();
    await teaser(page).waitFor({ timeout: 3000 });
    await context.close();

    log("route");
    ({ context, page } = await visitor());
    await page.goto(new URL("/triggers/route", site).href);
    await launcher(page).waitFor();
    await page.waitForTimeout(300);
    check((await teaser(page).count()) === 0, "the route teaser showed before any route change");
    await page.getByRole("button", { name: "Go to another view (pushState)" }).click();
    await teaser(page).waitFor({ timeout: 3000 });
    check(page.url().endsWith("/triggers/route/next"), `pushState did not change the URL: ${page.url()}`);
    await shot(page, "trigger-route-teaser");
    await context.close();
  },

  // The site's branding (written into the edge's database by the test): colours, side and
  // offsets, font, avatar, privacy link, sound after a gesture, no teaser; the next page has
  // the look before the chat opens.
  async branding() {
    const { page } = await visitor();
    await page.addInitScript(() => {
      window.__beeps = 0;
      const Audio = window.AudioContext;
      if (!Audio) return;
      const create = Audio.prototype.createOscillator;
      Audio.prototype.createOscillator = function () {
        window.__beeps += 1;
        return create.call(this);
      };
    });
    log("before opening, the default place");
    await page.goto(DEMO_URL);
    await launcher(page).waitFor();
    let box = await launcher(page).boundingBox();
    check(box.x > 1280 - 120, `the launcher is not in its default place: ${JSON.stringify(box)}`);

    log("open: the branding applies");
    await launcher(page).click();
    await page.getByText("What brings you here today?").waitFor();
    await page.waitForFunction(() => {
      const l = document.querySelector("[data-confab]").shadowRoot.querySelector(".l").getBoundingClientRect();
      return Math.round(l.left) === 32 && Math.round(innerHeight - l.bottom) === 40;
    }, null, { timeout: 5000 });
    const look = await page.evaluate(() => {
      const root = document.querySelector("[data-confab]").shadowRoot;
      const style = (selector) => getComputedStyle(root.querySelector(selector));
      return {
        head: `${style(".head").backgroundColor} ${style(".head").color}`,
        panel: `${style(".p").backgroundColor} ${style(".chat").color}`,
        font: style(".chat").fontFamily,
        name: root.querySelector(".name").textContent,
      };
    });
    check(look.head === "rgb(15, 118, 110) rgb(254, 252, 232)", `header colours ${look.head}`);
    check(look.panel === "rgb(255, 251, 235) rgb(41, 37, 36)", `panel colours ${look.panel}`);
    check(look.font.includes("Courier New"), `font ${look.font}`);
    check(look.name === "Acme helper", `bot name ${look.name}`);
    const avatar = page.locator("#confab-panel img.avatar");
    check(await avatar.isVisible() && (await avatar.getAttribute("src")).startsWith("data:image/png"), "no avatar");
    const privacy = page.getByRole("link", { name: "Privacy policy" });
    check(await privacy.getAttribute("href") === "https://acme.test/privacy", "no privacy link");
    check(await page.evaluate(() => window.__beeps) === 0, "a sound played before the visitor interacted");
    await page.getByRole("button", { name: "Just browsing" }).click();
    await page.getByText("No problem. I'm here if you need anything.").waitFor();
    await page.waitForFunction(() => window.__beeps >= 1, null, { timeout: 3000 });
    await shot(page, "branding-open");
    await page.keyboard.press("Escape");
    await panel(page).waitFor({ state: "hidden" });

    log("the next page: the look at once, no teaser");
    page.requests.length = 0;
    await page.goto(new URL("/triggers/time", site).href);
    await launcher(page).waitFor();
    box = await launcher(page).boundingBox();
    check(Math.round(box.x) === 32, `the next page's launcher is not where the branding puts it: ${JSON.stringify(box)}`);
    await page.waitForTimeout(3000);
    check((await teaser(page).count()) === 0, "a teaser showed although the branding turns it off");
    check(!page.requests.some((u) => u.includes("/widget/confab")), "the widget was loaded without the visitor asking");
    await shot(page, "branding-next-page");
  },

  // The dialogue's own triggers (set in the admin; the page's tag sets none) and its opening
  // line as the teaser; before the visitor acts only the small triggers JSON is fetched.
  async dialogue() {
    log("the home page: the dialogue's time-on-page trigger");
    const { context, page } = await visitor();
    await page.addInitScript(() => {
      window.__triggered = [];
      addEventListener("confab:triggered", (e) => window.__triggered.push(e.detail));
    });
    await page.goto(DEMO_URL);
    await launcher(page).waitFor();
    while ((await now(page)) < 1000) await page.waitForTimeout(50);
    check((await teaser(page).count()) === 0, "the dialogue's time_on_page 2 s teaser showed before 1 s");
    await teaser(page).waitFor();
    const shown = await now(page);
    check(shown >= 2000 && shown < 6000, `the teaser showed after ${Math.round(shown)} ms`);
    const text = await teaser(page).textContent();
    check(text.startsWith("Hi there! I'm Confab"), `the teaser is not the dialogue's opening line: ${text}`);
    const events = await page.evaluate(() => window.__triggered);
    check(events.length === 1 && events[0].trigger === "time:2" && events[0].dialogue === "welcome",
      `triggered events: ${JSON.stringify(events)}`);
    const api = page.requests.filter((u) => u.includes("/api/") || u.includes("/widget/"));
    check(api.length === 1 && api[0].includes("/api/v1/sites/demo/triggers?"), `fetched before any interaction: ${api}`);
    await noStorageYet(page, "when the dialogue's teaser showed");
    await shot(page, "dialogue-teaser");
    log("the teaser opens that dialogue");
    await teaser(page).click();
    await page.getByText("What brings you here today?").waitFor();
    await shot(page, "dialogue-teaser-opened");
    await context.close();
  },

  // The connection drops: the chat says so, answers still play (the engine runs in the
  // browser), the slots it could not fetch wait with Try again and come once it is back, and
  // the events sent meanwhile reach the edge then (the Rust side counts them). A chat that
  // could not be loaded offline loads once the connection is back.
  async offline() {
    let { context, page } = await visitor({}, { offline: true });
    const events = [];
    page.on("requestfinished", (r) => { if (r.url().endsWith("/events")) events.push(r.url()); });
    await page.goto(DEMO_URL);
    await launcher(page).click();
    await page.getByRole("button", { name: "Book a meeting" }).waitFor();
    const line = page.locator("#confab-panel p.offline");
    check((await line.textContent()) === "" && !(await line.isVisible()), "the offline line shows while online");
    const sent = events.length;

    log("offline: the chat says so and still answers");
    await context.setOffline(true);
    await line.getByText("You're offline.").waitFor();
    check((await line.getAttribute("role")) === "status", "the offline line is not a status region");
    await page.getByRole("button", { name: "Book a meeting" }).click();
    await page.getByText("We could not reach the server").waitFor();
    const again = page.getByRole("button", { name: "Try again" });
    await again.waitFor();
    check((await page.getByText("This conversation has ended.").count()) === 0, "the failed fetch ended the conversation");
    check(events.length === sent, `events went through while offline: ${events.length - sent}`);
    await shot(page, "offline-try-again");

    log("Try again while still offline fails again, and says so");
    const failed = page.waitForEvent("requestfailed", (r) => r.url().includes("/slots?"));
    await again.click();
    await failed;
    await again.waitFor();
    await page.getByText("We could not reach the server").waitFor();

    log("back online: the slots come, the line goes, the events reach the edge");
    await context.setOffline(false);
    await page.locator("button.slot").first().waitFor();
    check((await line.textContent()) === "", "the offline line stayed once online");
    check((await again.count()) === 0, "Try again stayed once the slots came");
    const said = await transcript(page);
    check(said.filter((t) => t.startsWith("Here are the next free times")).length === 1,
      `the slots were not announced once: ${JSON.stringify(said)}`);
    // The engaged and answer events of the click made offline.
    const deadline = Date.now() + TIMEOUT;
    while (events.length < sent + 2 && Date.now() < deadline) await page.waitForTimeout(50);
    check(events.length === sent + 2, `${events.length - sent} of the 2 events made offline reached the edge`);
    await shot(page, "offline-back-online");

    log("an event the network drops while the browser is online is sent again later");
    await page.route("**/events", (route) => route.abort("failed"));
    const dropped = page.waitForEvent("requestfailed", (r) => r.url().endsWith("/events"));
    await page.locator("button.slot").first().click();
    await page.locator("#confab-email").fill("ada@example.org");
    await page.getByRole("button", { name: "Book", exact: true }).click();
    await page.getByText(/You're booked with Agent \d/).waitFor();
    await dropped;
    const delivered = events.length;
    await page.unroute("**/events");
    // The first retry comes 5 s after the failure.
    const retried = Date.now() + TIMEOUT;
    while (events.length === delivered && Date.now() < retried) await page.waitForTimeout(100);
    check(events.length === delivered + 1, `${events.length - delivered} of the 1 dropped event was sent again`);

    log("an event not sent yet goes with the tab to the next page, which sends it");
    const entry = () => page.evaluate(() => JSON.parse(sessionStorage.getItem("confab:demo")) || {});
    await page.route("**/events", (route) => route.abort("failed"));
    const lost = page.waitForEvent("requestfailed", (r) => r.url().endsWith("/events"));
    await page.getByRole("button", { name: "Restart the conversation" }).click();
    await page.getByRole("button", { name: "Book a meeting" }).click();
    await lost;
    await page.waitForFunction(() => (JSON.parse(sessionStorage.getItem("confab:demo")) || {}).u?.length === 1);
    const kept = (await entry()).u[0];
    // With the widget's id for it, which the edge stores once however often it is sent.
    check(kept.kind === "answer" && kept.card === "intent" && kept.value === "book" &&
      /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(kept.id), `kept: ${JSON.stringify(kept)}`);
    // Every /events request from here on: [outcome, body].
    const after = [];
    for (const outcome of ["requestfinished", "requestfailed"]) {
      page.on(outcome, (r) => { if (r.url().endsWith("/events")) after.push([outcome, r.postData()]); });
    }
    await page.getByRole("link", { name: "Pricing" }).click();
    await page.waitForURL("**/pricing");
    await page.unroute("**/events");
    const carried = () => after.some(([outcome, body]) =>
      outcome === "requestfinished" && JSON.parse(body || "{}").id === kept.id);
    const sending = Date.now() + TIMEOUT;
    while (!carried() && Date.now() < sending) await page.waitForTimeout(100);
    check(carried(), `the kept event ${kept.id} was not sent by the next page: ${JSON.stringify(after)}`);
    await page.waitForFunction(() => !(JSON.parse(sessionStorage.getItem("confab:demo")) || {}).u);
    await context.close();

    log("a chat that could not be loaded offline loads once the connection is back");
    ({ context, page } = await visitor({}, { offline: true }));
    await page.goto(DEMO_URL);
    await launcher(page).waitFor();
    await context.setOffline(true);
    await launcher(page).click();
    const failure = panel(page).locator('p[role="alert"]', { hasText: "The chat could not be loaded. It will try again" });
    await failure.waitFor();
    await shot(page, "offline-not-loaded");
    await context.setOffline(false);
    await page.getByRole("button", { name: "Book a meeting" }).waitFor();
    check((await failure.count()) === 0, "the loading failure stayed once the chat loaded");
    await context.close();
  },
};

await runScenario(browser, scenarios, SCENARIO, state);
