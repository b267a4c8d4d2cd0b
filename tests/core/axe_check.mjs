// Runs axe-core on HTML files in headless Chromium (puppeteer-core), in the light and the
// dark colour scheme; prints one JSON object: {file: {scheme: [{id, impact, nodes}]}}.
// Usage: node axe_check.mjs CHROMIUM NODE_MODULES FILE...
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [chromium, modules, ...files] = process.argv.slice(2);
const require = createRequire(path.resolve(modules, "noop.js"));
const puppeteer = require("puppeteer-core");
const axeSource = require("fs").readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await puppeteer.launch({
  executablePath: chromium, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const out = {};
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1024, height: 700 });
  for (const file of files) {
    out[file] = {};
    for (const scheme of ["light", "dark"]) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
                                        sample: v.nodes[0] && v.nodes[0].target.join(" ") }));
      });
      out[file][scheme] = result;
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
