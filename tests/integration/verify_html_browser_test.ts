/**
 * The HTML report in a real browser: Debian's headless Chromium loads the page `privaci run --verify
 * --report run.html` wrote for a copy with known personal data, and the test reads back the DOM the
 * browser built and a screenshot it painted.
 *
 * @module
 */
import assert from "node:assert/strict";
import { privaci } from "../fixtures/core/cli.ts";
import { plantedValues, withShopPolicy } from "../fixtures/verify/shop.ts";

const CHROMIUM = ["chromium", "chromium-browser"];
/** Flags for a browser that talks to nothing: no sandbox (root in CI), no GPU, no background traffic. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-default-apps",
  "--disable-extensions",
];

async function findChromium(): Promise<string> {
  for (const name of CHROMIUM) {
    const out = await new Deno.Command("sh", { args: ["-c", `command -v ${name}`], stdout: "piped" })
      .output();
    if (out.success) return new TextDecoder().decode(out.stdout).trim();
  }
  throw new Error("Cannot find chromium: install it with apt-get install -y chromium (.ci/run does)");
}

/** Runs chromium with a fresh profile and a bounded time, returning stdout. */
async function chromium(args: string[]): Promise<string> {
  const bin = await findChromium();
  const profile = await Deno.makeTempDir({ prefix: "privaci_chromium_" });
  try {
    const out = await new Deno.Command(bin, {
      args: [...FLAGS, `--user-data-dir=${profile}`, ...args],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(180_000),
    }).output();
    assert.ok(out.success, `chromium exited ${out.code}`);
    return new TextDecoder().decode(out.stdout);
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}

Deno.test("the HTML report renders in headless Chromium with every table of the run and no source value", async () => {
  await withShopPolicy("leaky", async (policy, dir) => {
    const page = `${dir}/run.html`;
    const r = await privaci(["run", "-c", policy, "--verify", "--report", page, "--quiet"]);
    assert.equal(r.code, 1, r.stderr);
    const dom = await chromium(["--dump-dom", `file://${page}`]);
    // The browser built the whole page: the run's tables, the findings, the histogram.
    assert.match(dom, /<h1>PrivaCI report <span class="badge bad" id="status">FAILED<\/span><\/h1>/);
    for (const table of ["public.customers", "public.orders"]) {
      assert.ok(dom.includes(`<tr data-table="${table}">`), `run table ${table}`);
    }
    assert.match(dom, /<table id="findings">/);
    assert.match(dom, /<svg class="histogram"/);
    assert.match(dom, /Spoke with \[PERSON\] about the refund/);
    const text = dom.replace(/<[^>]+>/g, " ");
    for (const v of plantedValues()) {
      assert.ok(!text.includes(v), `the page holds a source value (${v.length} chars)`);
    }
    const png = `${dir}/page.png`;
    await chromium(["--window-size=1200,1600", `--screenshot=${png}`, `file://${page}`]);
    const bytes = await Deno.readFile(png);
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [1200, 1600]);
    // A painted page compresses far worse than a blank one (a blank 1200x1600 PNG is a few KiB).
    assert.ok(bytes.length > 30_000, `screenshot of ${bytes.length} bytes`);
  });
});
