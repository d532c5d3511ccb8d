// Host-page cost and click-to-message latency, in headless Chromium through the DevTools
// protocol. Run by `cargo xtask bench`; prints one JSON object on stdout.
//
// env: PAGES = {"blank": url, "confab": url, "peer": url}, RUNS, CHROMIUM, CHART (png path)
import { chromium } from "playwright-core";

const pages = JSON.parse(process.env.PAGES);
const runs = Number(process.env.RUNS || 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

const observe = () => {
  window.__bench = { longTasks: [], cls: 0 };
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__bench.longTasks.push(e.duration)))
    .observe({ type: "longtask", buffered: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) window.__bench.cls += e.value; }))
    .observe({ type: "layout-shift", buffered: true });
};

async function hostCost(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("Network.enable");
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
  await page.addInitScript(observe);
  await page.goto(url, { waitUntil: "load" });
  // What a visitor's page does in its first seconds without touching the chat.
  await page.waitForTimeout(2000);
  const { metrics } = await cdp.send("Performance.getMetrics");
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const seen = await page.evaluate(() => window.__bench);
  await context.close();
  return {
    script_ms: m.ScriptDuration * 1000,
    task_ms: m.TaskDuration * 1000,
    layout_ms: (m.LayoutDuration + m.RecalcStyleDuration) * 1000,
    long_tasks: seen.longTasks.length,
    long_task_ms: seen.longTasks.reduce((a, b) => a + b, 0),
    cls: seen.cls,
    bytes,
  };
}

// Milliseconds from the click on the launcher to (a) the chat showing the bot typing
// (widget loaded, bootstrap answered) and (b) the first bot message, which comes after the
// site's configured typing delay.
async function clickToMessage(url, prefetch) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  if (prefetch) {
    await page.locator('button[aria-label="Open chat"]').hover();
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(300);
  }
  const result = await page.evaluate(() => new Promise((resolve) => {
    const root = document.querySelector("[data-confab]").shadowRoot;
    const t0 = performance.now();
    let ready = null;
    root.querySelector('button[aria-label="Open chat"]').click();
    const check = () => {
      if (ready === null && root.querySelector(".msg.bot")) ready = performance.now() - t0;
      const message = root.querySelector(".msg.bot:not(.typing)");
      if (message) resolve({ ready_ms: ready ?? performance.now() - t0, message_ms: performance.now() - t0 });
      else requestAnimationFrame(check);
    };
    check();
  }));
  await context.close();
  return result;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median: q(0.5), min: s[0], max: s[s.length - 1], p25: q(0.25), p75: q(0.75), n: s.length };
};

const out = { host: {}, click: {} };
try {
  for (const [name, url] of Object.entries(pages)) {
    const samples = [];
    // Interleaving would be fairer on a noisy machine, but each variant gets the same runs.
    for (let i = 0; i < runs; i++) samples.push(await hostCost(url));
    out.host[name] = Object.fromEntries(Object.keys(samples[0]).map((k) => [k, stats(samples.map((s) => s[k]))]));
  }
  for (const prefetch of [false, true]) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await clickToMessage(pages.confab, prefetch));
    out.click[prefetch ? "prefetched" : "cold"] = {
      ready_ms: stats(samples.map((s) => s.ready_ms)),
      message_ms: stats(samples.map((s) => s.message_ms)),
    };
  }
  if (process.env.CHART) {
    const page = await browser.newPage({ viewport: { width: 900, height: 240 } });
    const bars = ["blank", "confab", "peer"].filter((k) => out.host[k]);
    const max = Math.max(...bars.map((k) => out.host[k].task_ms.median), 1);
    const maxBytes = Math.max(...bars.map((k) => out.host[k].bytes.median), 1);
    const row = (k, i, value, scale, label, x0) =>
      `<rect x="${x0}" y="${60 + i * 40}" width="${(value / scale) * 240}" height="26" fill="${k === "confab" ? "#4f46e5" : k === "peer" ? "#f59e0b" : "#9ca3af"}"/>` +
      `<text x="${x0 - 8}" y="${78 + i * 40}" text-anchor="end">${k}</text>` +
      `<text x="${x0 + (value / scale) * 240 + 6}" y="${78 + i * 40}">${label}</text>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="240" font-family="sans-serif" font-size="14">
      <text x="20" y="30" font-size="18" font-weight="600">Cost on the host page (median of ${runs} runs; peer: ${process.env.PEER_NAME || "peer"})</text>
      <text x="110" y="52" font-weight="600">main-thread task time</text>
      ${bars.map((k, i) => row(k, i, out.host[k].task_ms.median, max, `${out.host[k].task_ms.median.toFixed(1)} ms`, 110)).join("")}
      <text x="560" y="52" font-weight="600">bytes transferred</text>
      ${bars.map((k, i) => row(k, i, out.host[k].bytes.median, maxBytes, `${(out.host[k].bytes.median / 1024).toFixed(1)} KB`, 560)).join("")}
      <text x="20" y="225" fill="#6b7280">Absolute times vary between machines; compare the ratios.</text>
    </svg>`;
    await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
    await page.screenshot({ path: process.env.CHART });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
