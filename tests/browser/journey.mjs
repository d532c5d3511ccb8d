// The visitor's journey on the demo host page, then the admin's view of the meeting.
// Run by tests/tests/browser.rs; prints one line per step and exits non-zero on failure.
import { launch } from "./harness.mjs";

const { DEMO_URL, EDGE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, SCREENSHOTS, CHROMIUM } = process.env;
const TIMEOUT = 20_000;

const browser = await launch(CHROMIUM);
const problems = [];
let step = 0;
async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: `${SCREENSHOTS}/${String(step).padStart(2, "0")}-${name}.png` });
  console.log(`step ${step}: ${name}`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`); });
  const bookingPosts = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/bookings")) {
      if (!r.headers()["idempotency-key"]) problems.push("a booking was sent without an Idempotency-Key");
      bookingPosts.push(r.postData());
    }
  });
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));

  await page.goto(DEMO_URL);
  const launcher = page.locator('button[aria-label="Open chat"]');
  await launcher.waitFor();
  if (fetched.some((u) => u.includes("/widget/"))) throw new Error("the widget was fetched before any interaction");
  const cookies = await context.cookies();
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  if (cookies.length || stored) throw new Error("something was stored before the visitor interacted");
  await shot(page, "host-page-with-launcher");

  await launcher.click();
  await page.getByText("Hi there! I'm Confab").waitFor();
  await page.getByText("What brings you here today?").waitFor();
  await shot(page, "greeting-and-question");

  await page.getByRole("button", { name: "Book a meeting" }).click();
  const firstSlot = page.locator("button.slot").first();
  await firstSlot.waitFor();
  const start = await firstSlot.getAttribute("data-start");
  if (!/\+01:00$|\+02:00$/.test(start)) throw new Error(`slot ${start} is not in the visitor's zone (Europe/Paris)`);
  await shot(page, "slots-in-visitor-time-zone");

  await firstSlot.click();
  const email = page.locator("#confab-email");
  await email.fill("ada@example");
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await page.getByText("Please enter a valid email address").waitFor();
  if (bookingPosts.length) throw new Error("a booking was sent for an invalid email");
  await shot(page, "invalid-email-refused");

  await email.fill("ada@example.com");
  await page.getByRole("button", { name: "Book", exact: true }).click();
  const confirmation = page.getByText(/You're booked with Agent \d/);
  await confirmation.waitFor();
  console.log(`confirmation: ${await confirmation.textContent()}`);
  await page.getByText("This conversation has ended.").waitFor();
  const invite = page.getByRole("link", { name: "Add to your calendar (.ics)" });
  const href = await invite.getAttribute("href");
  if (!href.startsWith(`${EDGE_URL}/api/v1/invites/demo/`)) throw new Error(`unexpected invitation link ${href}`);
  const ics = await context.request.get(href);
  const body = (await ics.text()).replace(/\r\n /g, "");
  if (!ics.ok() || !body.includes("METHOD:REQUEST") || !body.includes("mailto:ada@example.com")) {
    throw new Error(`the invitation is not right: ${ics.status()} ${body.slice(0, 200)}`);
  }
  await shot(page, "booking-confirmed");
  if (bookingPosts.length !== 1) throw new Error(`expected one booking request, saw ${bookingPosts.length}`);

  const admin = await context.newPage();
  admin.setDefaultTimeout(TIMEOUT);
  admin.on("pageerror", (e) => problems.push(`admin page error: ${e.message}`));
  admin.on("console", (m) => {
    // The session probe before sign-in answers 401 by design, and the invalid blocked domain
    // below is refused with 400 on purpose; anything else is a problem.
    const url = m.location().url;
    const expected = url.endsWith("/api/admin/v1/session")
      || (url.endsWith("/api/admin/v1/settings/blocked-domains") && m.text().includes("status of 400"))
      || (url.endsWith("/api/admin/v1/routing/accounts") && m.text().includes("status of 400"));
    if (m.type() === "error" && !expected) problems.push(`admin console error: ${m.text()} (${url})`);
  });
  await admin.goto(`${EDGE_URL}/admin/`);
  await admin.getByLabel("Email").fill(ADMIN_EMAIL);
  await admin.getByLabel("Password").fill("not the password");
  await admin.getByRole("button", { name: "Sign in" }).click();
  await admin.getByText("Wrong email or password.").waitFor();
  await admin.getByLabel("Password").fill(ADMIN_PASSWORD);
  await admin.getByRole("button", { name: "Sign in" }).click();
  const row = admin.locator("tr", { hasText: "ada@example.com" });
  await row.waitFor();
  const agent = (await row.locator("td").nth(1).textContent()).trim();
  const why = (await row.locator("td.why").textContent()).trim();
  if (!why.includes(agent)) throw new Error(`the explanation "${why}" does not name ${agent}`);
  await shot(admin, "admin-meetings");

  // The routing tab: the order with who is next, and meetings per agent over all time.
  await admin.getByRole("tab", { name: "Routing" }).click();
  await admin.locator("#routing-period").selectOption("all");
  await admin.locator('li:has(.badge)').waitFor();
  const next = (await admin.locator("li:has(.badge)").textContent()).replace("next", "").trim();
  if (next === agent) throw new Error(`${agent} took the meeting but is still shown as next`);
  await admin.locator(".bar[data-total='1']").waitFor();
  await shot(admin, "admin-routing");

  // An account-routing CSV with one bad line: nothing is imported, the line is named.
  await admin.locator("#accounts-paste").fill("domain,owner_email\nacme.com,agent-3@demo.test\nglobex.com,nobody@demo.test\n");
  await admin.locator("#accounts-import").click();
  await admin.locator('#accounts-import-errors ol.line-errors li[data-line="3"]').waitFor();
  await shot(admin, "admin-routing-csv-refused");

  // The calendar tab: every agent on the built-in calendar, each with an editor.
  await admin.getByRole("tab", { name: "Calendar" }).click();
  await admin.locator('section[data-agent="agent-1"]').waitFor();
  await shot(admin, "admin-calendar");

  await admin.getByRole("tab", { name: "Meetings" }).click();
  await row.waitFor();

  await row.getByRole("button", { name: "History" }).click();
  await admin.locator("tr.history", { hasText: "booked" }).waitFor();
  await row.getByRole("button", { name: "Cancel" }).click();
  await admin.locator("tr", { hasText: "ada@example.com" }).locator(".status.canceled").waitFor();
  await admin.getByLabel("Status").selectOption("scheduled");
  await admin.getByText("No meetings here yet.").waitFor();
  await admin.getByLabel("Status").selectOption("canceled");
  await admin.locator("tr", { hasText: "ada@example.com" }).waitFor();
  await shot(admin, "admin-meeting-canceled-and-filtered");

  // The integrations tab: Marketo is not connected here, and blocked email domains are saved
  // as the edge normalises them (an invalid one is refused with the edge's message).
  await admin.getByRole("tab", { name: "Integrations" }).click();
  await admin.locator(".not-connected", { hasText: "Marketo is not connected" }).waitFor();
  await admin.locator(".pill", { hasText: "Not connected" }).waitFor();
  await admin.getByText("No domain is blocked").waitFor();
  const domainInput = admin.getByLabel("Add blocked domains");
  await domainInput.fill("nope");
  await admin.getByRole("button", { name: "Save", exact: true }).click();
  await admin.getByText("`nope` is not a domain such as gmail.com.").waitFor();
  await admin.getByRole("button", { name: "Remove nope" }).click();
  await domainInput.fill("Gmail.com, @yahoo.com");
  await admin.getByRole("button", { name: "Add", exact: true }).click();
  await admin.getByRole("button", { name: "Save", exact: true }).click();
  await admin.getByText("Saved. 2 domains are blocked.").waitFor();
  const blocked = await (await context.request.get(`${EDGE_URL}/api/admin/v1/settings/blocked-domains`)).json();
  if (JSON.stringify(blocked.domains) !== '["gmail.com","yahoo.com"]') {
    throw new Error(`blocked domains stored as ${JSON.stringify(blocked)}`);
  }
  await admin.locator('ul.chips li[data-domain="gmail.com"]').waitFor();
  await shot(admin, "admin-integrations-not-connected-and-blocked-domains");

  // A visitor whose Munchkin cookie the edge knows (here the demo's lead Ada, from the local
  // lead store) is greeted by name.
  const known = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await known.addCookies([{
    name: "_mkto_trk", value: "id:123-ABC-456&token:_mch-127.0.0.1-1700000000000-12345",
    domain: new URL(DEMO_URL).hostname, path: "/",
  }]);
  const knownPage = await known.newPage();
  knownPage.setDefaultTimeout(TIMEOUT);
  knownPage.on("pageerror", (e) => problems.push(`known visitor page error: ${e.message}`));
  knownPage.on("console", (m) => { if (m.type() === "error") problems.push(`known visitor console error: ${m.text()}`); });
  await knownPage.goto(DEMO_URL);
  await knownPage.locator('button[aria-label="Open chat"]').click();
  await knownPage.getByText("Hi Ada! I'm Confab").waitFor();
  await shot(knownPage, "known-visitor-greeted-by-name");

  if (problems.length) throw new Error(problems.join("\n"));
  console.log("journey ok");
} catch (e) {
  console.error(`journey failed at step ${step + 1}: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
