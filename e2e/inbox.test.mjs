// Real-browser test of the emulator's web inbox (/_emulator/ui/).
//
// It builds cmd/workplus-emulator, starts it on a free loopback port, seeds
// it through the real APIs (a template, app messages of every type, a push),
// opens the inbox in Debian's headless chromium through playwright-core and
// checks what a person would see: the phone cards, the values filled in from
// message data with their styling, the channel bars, the certificate badges,
// that hostile content stays inert, and that a message sent afterwards shows
// up without a reload. Screenshots go to test-output/browser/.
//
// Run: make test-browser (make browser-deps installs chromium and
// playwright-core). Without /usr/bin/chromium every test is skipped, saying
// why, and the run passes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHOTS = path.join(ROOT, "test-output", "browser");

const TOKEN = "demo-access-token";
const APP_ID = "dafc2d03-3991-4de0-91d6-de3135c1fb4f";
const ZHANGSAN = "c24b6a94cfb14b79af12a1399edc9e31";
const LISI = "a86e83a26be44eb59806901cc8be5d5c";
// Flags that keep chromium from reaching for the (closed) network.
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const skip = fs.existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: run \`make browser-deps\` to install chromium (skipping the browser test)`;
if (skip) console.log(`SKIP: ${skip}`);

let work; // temp dir: emulator binary, url file, logs, browser profile
let emulator; // child process
let baseURL;
let context; // playwright persistent context (fresh --user-data-dir)
let page;
const dialogs = [];
const pageErrors = [];
let inboxHeaders = {}; // of the inbox page's answer
const seeded = {}; // ids the tests look for

// ---- the emulator -------------------------------------------------------

async function startEmulator() {
  const bin = path.join(work, "workplus-emulator");
  execFileSync("go", ["build", "-o", bin, "./cmd/workplus-emulator"], { cwd: ROOT, stdio: "inherit" });
  const urlFile = path.join(work, "url");
  const log = fs.openSync(path.join(work, "emulator.log"), "w");
  emulator = spawn(bin, ["--listen", "127.0.0.1:0", "--url-file", urlFile], { stdio: ["ignore", log, log] });
  const exited = new Promise((resolve) => emulator.once("exit", resolve));
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(urlFile) && fs.readFileSync(urlFile, "utf8").trim()) {
      return fs.readFileSync(urlFile, "utf8").trim();
    }
    const code = await Promise.race([exited, sleep(50).then(() => undefined)]);
    if (code !== undefined) break;
  }
  throw new Error("the emulator did not start:\n" + fs.readFileSync(path.join(work, "emulator.log"), "utf8"));
}

function stopEmulator() {
  if (emulator && emulator.exitCode === null) emulator.kill("SIGTERM");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(method, pathAndQuery, body, headers = {}) {
  const res = await fetch(baseURL + pathAndQuery, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${pathAndQuery}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

// openAPI calls the Open API (/v1/...) with the demo token.
async function openAPI(method, p, body) {
  const sep = p.includes("?") ? "&" : "?";
  const env = await call(method, `${p}${sep}access_token=${TOKEN}&app_id=${APP_ID}`, body);
  assert.equal(env.status, 0, `${method} ${p}: ${env.message}`);
  return env.result;
}

// pushAPI calls the Push API (/push/...) with the demo token in headers.
async function pushAPI(p, body) {
  const env = await call("POST", p, body, { "access-token": TOKEN, app_id: APP_ID });
  assert.equal(env.code, 200, `POST ${p}: ${env.message}`);
  return env.data;
}

const sendMessage = (message) => openAPI("POST", "/v1/apps/mbox", message);

async function seed() {
  const tpl = await openAPI("POST", "/v1/templates", {
    title: "Expense approved",
    tags: "finance,approval",
    sample: "Your expense of ¥1,280.00 was approved",
    actions: [
      { name: "View claim", value: "https://workplus.example.com/claims/42" },
      { name: "Dispute", value: "https://workplus.example.com/claims/42/dispute" },
    ],
    contents: [
      [{ content: "Applicant: {{applicant.DATA}}", align: "left" }],
      [
        { content: "Amount: {{amount.DATA}}", align: "left" },
        { content: "Status: {{status.DATA}}", align: "right" },
      ],
      [{ content: "Thank you", align: "center" }],
    ],
  });
  seeded.template = tpl.id;

  const plan = await sendMessage({
    type: "TEMPLATE",
    client_ids: [ZHANGSAN],
    platforms: ["IOS", "ANDROID", "PC"],
    body: {
      template_id: tpl.id,
      top_color: "#0e9f6e",
      top_title: "Finance bot",
      data: [
        { key: "applicant", value: "Zhang San" },
        { key: "amount", value: "¥1,280.00", color: "#d63031", font_size: "20", text_style: "bold" },
        { key: "status", value: "Approved", color: "#0e9f6e" },
      ],
    },
  });
  seeded.templateMessage = plan.id;

  // One message of each other type, so every card kind is on the page.
  await sendMessage({ type: "TEXT", client_ids: [LISI], body: { content: "Lunch at 12:30 in room 3?", at_all: false } });
  await sendMessage({
    type: "IMAGE", client_ids: [LISI],
    body: { media_id: "media-7f3a", name: "whiteboard.png", width: 1280, height: 960, size: 348160, is_gif: 0 },
  });
  await sendMessage({
    type: "FILE", client_ids: [ZHANGSAN, LISI],
    body: { media_id: "media-99c1", name: "Q3 budget.xlsx", size: 1843200 },
  });
  await sendMessage({
    type: "ARTICLE", scopes: ["/232/302/"],
    body: {
      articles: [
        { title: "Office move on Friday", summary: "Everything you need to know about the new floor.", author: "Facilities", url: "https://workplus.example.com/news/move", show_cover: true },
        { title: "New VPN client", url: "https://workplus.example.com/news/vpn" },
      ],
    },
  });

  // Hostile input: markup in the template, CSS injection in the data.
  const hostile = await openAPI("POST", "/v1/templates", {
    title: "<img src=x onerror=alert('title')>",
    tags: "<b>tag</b>",
    sample: "<script>alert('sample')</script>",
    actions: [{ name: "<i>go</i>", value: "javascript:alert('action')" }],
    contents: [[{ content: "<script>alert(1)</script> {{who.DATA}}", align: "left" }]],
  });
  seeded.hostileTemplate = hostile.id;
  const hostilePlan = await sendMessage({
    type: "TEMPLATE", client_ids: [ZHANGSAN],
    body: {
      template_id: hostile.id,
      top_color: "red;background:url(javascript:alert('top'))",
      top_avatar: "javascript:alert('avatar')",
      data: [{ key: "who", value: "<img src=x onerror=alert('value')>", color: "red;background:url(javascript:alert(3))", font_size: "20px;position:fixed" }],
    },
  });
  seeded.hostileMessage = hostilePlan.id;

  const task = await pushAPI("/push/notify", {
    audience: { tag: ["beijing"] },
    setting: { distribution_strategy: "combined" },
    message: { title: "Server maintenance tonight", body: "The VPN is down 22:00–23:00." },
  });
  seeded.task = task.task_id;
}

// ---- the browser --------------------------------------------------------

async function openInbox() {
  const { chromium } = await import("playwright-core");
  context = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: "en-US",
    timezoneId: "UTC",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  // Anything the page's Content-Security-Policy blocks is collected: the
  // policy must let the page's own script, style and polling through.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const res = await page.goto(baseURL + "/_emulator/ui/", { waitUntil: "load" });
  assert.equal(res.status(), 200);
  inboxHeaders = res.headers();
}

const shot = (name, target = page) =>
  target.screenshot({ path: path.join(SHOTS, name), ...(target === page ? { fullPage: true } : {}) });

const card = (key) => page.locator(`article[data-key="${key}"]`);

// ---- the tests ----------------------------------------------------------

// Each test is skipped, not the suite, so the summary counts them as skipped.
const it = (name, fn) => test(name, { skip }, fn);

describe("web inbox in chromium", () => {
  before(async () => {
    if (skip) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "workplus-e2e-"));
    process.on("exit", stopEmulator);
    baseURL = await startEmulator();
    await seed();
    await openInbox();
  }, { timeout: 300_000 });

  after(async () => {
    await context?.close();
    stopEmulator();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("the page loads with every section and no script error", async () => {
    for (const id of ["messages", "push", "templates", "certificates"]) {
      assert.equal(await page.locator(`section#${id}`).count(), 1, `section #${id}`);
    }
    assert.equal(await page.locator('.pill[data-count="messages"]').innerText(), "6");
    assert.equal(await page.locator('#status[data-state="live"]').count(), 1);
    // One card per message type.
    for (const type of ["TEXT", "IMAGE", "FILE", "ARTICLE", "TEMPLATE"]) {
      assert.ok(await page.locator(`article.msg[data-type="${type}"]`).count() >= 1, `a ${type} card`);
    }
    await shot("inbox.png");
    await page.screenshot({ path: path.join(SHOTS, "inbox-viewport.png") }); // what a laptop shows first
    assert.deepEqual(pageErrors, []);
  });

  it("a template renders as a phone card with placeholders highlighted", async () => {
    const tpl = card(`tpl-${seeded.template}`);
    await tpl.scrollIntoViewIfNeeded();
    const placeholders = await tpl.locator("mark.ph").allInnerTexts();
    assert.deepEqual(placeholders, ["{{applicant.DATA}}", "{{amount.DATA}}", "{{status.DATA}}"]);
    assert.equal(await tpl.locator(".pc-title").innerText(), "Expense approved");
    assert.deepEqual(await tpl.locator(".pc-action").allInnerTexts(), ["View claim", "Dispute"]);
    assert.deepEqual(await tpl.locator(".chip.tag").allInnerTexts(), ["finance", "approval"]);
    assert.match(await tpl.locator(".sample").innerText(), /¥1,280\.00 was approved/);
    // Cells honour their alignment.
    const aligns = await tpl.locator(".pc-cell").evaluateAll((cells) => cells.map((c) => getComputedStyle(c).textAlign));
    assert.deepEqual(aligns, ["left", "left", "right", "center"]);
    await shot("template-card.png", tpl);
  });

  it("a template message shows its data filled in and styled", async () => {
    const msg = card(`msg-${seeded.templateMessage}`);
    await msg.scrollIntoViewIfNeeded();
    assert.equal(await msg.locator("mark.ph").count(), 0, "no placeholder left");
    const amount = msg.locator('.val[data-key="amount"]');
    assert.equal(await amount.innerText(), "¥1,280.00");
    const style = await amount.evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, size: s.fontSize, weight: s.fontWeight };
    });
    assert.deepEqual(style, { color: "rgb(214, 48, 49)", size: "20px", weight: "700" });
    assert.equal(await msg.locator('.val[data-key="status"]').evaluate((el) => getComputedStyle(el).color), "rgb(14, 159, 110)");
    assert.equal(await msg.locator('.val[data-key="applicant"]').innerText(), "Zhang San");
    const top = msg.locator(".pc-top");
    assert.equal(await top.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(14, 159, 110)");
    assert.equal(await top.locator(".pc-top-title").innerText(), "Finance bot");
    // Recipients, platforms and the push plan.
    assert.match(await msg.locator(".chip.person").first().innerText(), /张三/);
    assert.deepEqual(await msg.locator(".chip.platform").allInnerTexts(), ["IOS", "ANDROID", "PC"]);
    assert.match(await msg.locator(".plan").innerText(), /1\s+expects\s*1\s+oks\s*0\s+fails/);
    await shot("template-message.png", msg);
  });

  it("a push task shows its audience, strategy and channel bars", async () => {
    const task = card(`task-${seeded.task}`);
    await task.scrollIntoViewIfNeeded();
    assert.equal(await task.locator(".notif-title").innerText(), "Server maintenance tonight");
    assert.match(await task.innerText(), /beijing/);
    assert.match(await task.innerText(), /combined/);
    const mxpush = task.locator('.bar-row[data-channel="mxpush"]');
    assert.equal(await mxpush.count(), 1, "an mxpush bar");
    assert.match(await mxpush.locator(".bar-num").innerText(), /^\d+ \/ \d+ \/ \d+$/);
    const widths = await task.locator(".bar-row[data-channel] .b.target").evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width));
    assert.ok(widths.length >= 3 && widths.every((w) => w > 0), `bars have width: ${widths}`);
    await shot("push-task.png", task);
  });

  it("certificates show as a vendor × environment grid with expiry badges", async () => {
    const grid = page.locator("#certificates article.certs").first();
    await grid.scrollIntoViewIfNeeded();
    const apns = grid.locator('tr[data-vendor="apns"] td');
    // The default seed: apns development expires in 20 days, production in a year.
    assert.equal(await apns.nth(0).locator(".badge-soon").count(), 1);
    assert.match(await apns.nth(0).locator(".badge").innerText(), /expires in (19|20) days/);
    assert.equal(await apns.nth(1).locator(".badge-ok").count(), 1);
    assert.match(await apns.nth(1).innerText(), /pkcs12/);
    assert.match(await grid.locator('tr[data-vendor="meizu"]').innerText(), /not configured/);
    await shot("certificates.png", grid);
  });

  it("hostile template content and data stay inert", async () => {
    const tpl = card(`tpl-${seeded.hostileTemplate}`);
    assert.match(await tpl.locator(".pc-row").innerText(), /<script>alert\(1\)<\/script>/);
    assert.equal(await tpl.locator(".pc-title").innerText(), "<img src=x onerror=alert('title')>");
    const msg = card(`msg-${seeded.hostileMessage}`);
    await msg.scrollIntoViewIfNeeded();
    assert.equal(await msg.locator('.val[data-key="who"]').innerText(), "<img src=x onerror=alert('value')>");
    assert.equal(await msg.locator(".pc-top img").count(), 0, "no avatar from a javascript: URL");
    assert.ok((await msg.locator(".warnings li").count()) >= 2, "the bad color and font size are reported");
    const injected = await page.evaluate(() => ({
      scripts: document.scripts.length,
      imgX: document.querySelectorAll('img[src="x"]').length,
      styles: Array.from(document.querySelectorAll("[style]"), (el) => el.getAttribute("style")).filter((s) => /url\(|javascript|position|red/i.test(s)),
      jsLinks: Array.from(document.querySelectorAll("a[href]"), (a) => a.getAttribute("href")).filter((h) => /^javascript:/i.test(h)),
    }));
    assert.deepEqual(injected, { scripts: 1, imgX: 0, styles: [], jsLinks: [] });
    await shot("hostile-message.png", msg);
    assert.deepEqual(dialogs, [], "no alert ran");
  });

  it("a new message appears without a reload", async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.evaluate(() => window.scrollTo(0, 0));
    const value = `Li Si ${Date.now()}`;
    const plan = await sendMessage({
      type: "TEMPLATE", client_ids: [LISI],
      body: { template_id: seeded.template, data: [{ key: "applicant", value }, { key: "amount", value: "¥88.00" }, { key: "status", value: "Pending", color: "#b54708" }] },
    });
    const fresh = card(`msg-${plan.id}`);
    await fresh.waitFor({ state: "visible", timeout: 20_000 });
    assert.equal(await fresh.locator('.val[data-key="applicant"]').innerText(), value);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page did not reload");
    assert.match(await fresh.getAttribute("class"), /\bfresh\b/);
    assert.equal(await page.locator('.pill[data-count="messages"]').innerText(), "7");
    await shot("inbox-after-update.png");
    assert.deepEqual(pageErrors, []);
  });

  it("the Content-Security-Policy holds and blocks nothing of the page's own", async () => {
    const csp = inboxHeaders["content-security-policy"] ?? "";
    for (const directive of ["default-src 'none'", "frame-ancestors 'none'", "connect-src 'self'"]) {
      assert.ok(csp.includes(directive), `CSP ${csp} lacks ${directive}`);
    }
    assert.equal(inboxHeaders["x-content-type-options"], "nosniff");
    // By now the script has polled and swapped the live part in.
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  });
});
