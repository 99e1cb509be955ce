// Builds convene/static/dist from npm packages and assets/: the NHS.UK frontend
// styles compiled with our own additions, its JavaScript, htmx, icons, and our
// small plain-JS modules. Run through `make static` (npm run build).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "convene", "static", "dist");
const nm = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "convene.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "convene.css"), css.css);

cpSync(join(nm, "nhsuk-frontend", "dist", "nhsuk", "nhsuk-frontend.min.js"), join(out, "nhsuk-frontend.min.js"));
cpSync(join(nm, "nhsuk-frontend", "dist", "nhsuk", "assets"), join(out, "assets"), { recursive: true });
cpSync(join(nm, "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
cpSync(join(root, "assets", "js"), join(out, "js"), { recursive: true });
console.log(`built ${out}`);
