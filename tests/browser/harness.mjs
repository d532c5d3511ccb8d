// What the browser scripts share: Debian's Chromium launched headless the same way, steps
// logged as they start, and one scenario run by name with every problem the page reported.
import { chromium } from "playwright-core";

// Headless Chromium at `executablePath`, quiet (no background traffic), for loopback servers.
export function launch(executablePath) {
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// A scenario run: `log(what)` names the step under way, `problems` collects what the pages
// reported (page errors, console errors), `check(ok, message)` fails the step.
export function run() {
  const state = { step: "start", problems: [] };
  state.log = (what) => {
    state.step = what;
    console.log(`step: ${what}`);
  };
  return state;
}

export function check(ok, message) {
  if (!ok) throw new Error(message);
}

// Runs `scenarios[name]` and closes `browser`; a failure (or any problem reported on the way)
// prints the step it happened in and sets a non-zero exit code.
export async function runScenario(browser, scenarios, name, state) {
  try {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`unknown SCENARIO ${name}; one of ${Object.keys(scenarios).join(", ")}`);
    const started = Date.now();
    await scenario();
    if (state.problems.length) throw new Error(state.problems.join("\n"));
    console.log(`${name} ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`${name} failed at "${state.step}": ${e.stack || e}`);
    if (state.problems.length) console.error(`also:\n${state.problems.join("\n")}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
