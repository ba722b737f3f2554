// Builds what sharing a map needs beside the widget bundle (run by `npm run build`):
//
// - static/vendor/: require.js, @jupyter-widgets/html-manager's embed-amd.js and anywidget's
//   front end, copied from node_modules, so that journeywidgets.nbhtml can inline them into
//   nbconvert HTML that renders saved widget state offline (nbconvert's defaults load them
//   from CDNs). versions.json records what was copied.
// - static/standalone.js (when src/standalone.ts exists): the widget plus an in-page model,
//   for journeywidgets.export.to_html's self-contained interactive page.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const js = join(here, "..");
const staticDir = join(js, "..", "src", "journeywidgets", "static");
const vendorDir = join(staticDir, "vendor");
// Read from node_modules directly: some packages' "exports" hide package.json from resolve.
const nodeModules = join(js, "node_modules");

async function packageVersion(name) {
  const pkg = JSON.parse(await readFile(join(nodeModules, name, "package.json"), "utf8"));
  return pkg.version;
}

function packageFile(name, file) {
  return join(nodeModules, name, file);
}

await mkdir(vendorDir, { recursive: true });
const vendored = {
  "require.js": ["requirejs", "require.js"],
  "embed-amd.js": ["@jupyter-widgets/html-manager", "dist/embed-amd.js"],
  "anywidget.js": ["anywidget", "dist/index.js"],
};
const versions = {};
for (const [target, [name, file]] of Object.entries(vendored)) {
  await copyFile(packageFile(name, file), join(vendorDir, target));
  versions[name] = await packageVersion(name);
}
await writeFile(join(vendorDir, "versions.json"), `${JSON.stringify(versions, null, 2)}\n`);

if (existsSync(join(js, "src", "standalone.ts"))) {
  await build({
    entryPoints: [join(js, "src", "standalone.ts")],
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2020",
    outfile: join(staticDir, "standalone.js"),
    logLevel: "warning",
  });
}
