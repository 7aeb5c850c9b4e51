// Builds the `protoc-gen-dataproc-connect` bin: scripts/protoc-gen-dataproc-connect.mjs
// bundled with everything it imports into one file, dist/bin/protoc-gen-dataproc-connect.js,
// plus dist/bin/THIRD_PARTY_NOTICES.md with the licences of what it bundles.
//
// Why one self-contained file: the plugin is an application a user's buf
// runs, not a library their program imports. Bundled, it adds nothing to
// their install — not @bufbuild/protoplugin, not TypeScript (protoplugin's
// fallback transpiler, which this plugin never calls: it writes .ts and
// .d.ts itself), not a second @bufbuild/protobuf beside their own.
//
// Usage: `import { buildProtocPlugin } from "./build-protoc-plugin.mjs"` (scripts/build.mjs).
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, sep } from "node:path";
import { build } from "rolldown";

const source = "scripts/protoc-gen-dataproc-connect.mjs";
const out = "dist/bin/protoc-gen-dataproc-connect.js";
const notices = "dist/bin/THIRD_PARTY_NOTICES.md";
const shebang = "#!/usr/bin/env node\n";

/** protoplugin's transpiler imports these; the plugin never transpiles, so they become a module that says so. */
const notBundled = new Set(["typescript", "@typescript/vfs"]);
const stubId = "\0not-bundled";
const stubPlugin = {
  name: "not-bundled",
  resolveId: (id) => (notBundled.has(id) ? stubId : null),
  load: (id) =>
    id === stubId
      ? `const fail = () => { throw new Error("protoc-gen-dataproc-connect: transpiling is not bundled; it writes target=ts and target=dts itself"); };
         export default new Proxy({}, { get: fail });
         export const createDefaultMapFromNodeModules = fail, createSystem = fail, createVirtualCompilerHost = fail;`
      : null,
};

/** `{ dir, name }` of the node_modules package a bundled module belongs to, or undefined for our own file. */
function packageOf(id) {
  const parts = id.split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const name = parts[at + 1].startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return { name, dir: parts.slice(0, at + 1).join(sep) + sep + name };
}

/** The comment block at the top of a file that holds a copyright line (a licence header), or undefined. */
function licenceHeader(text) {
  const block = /^(?:#![^\n]*\n)?((?:\s*\/\/[^\n]*\n)+|\s*\/\*[\s\S]*?\*\/)/.exec(text)?.[1];
  return block && /copyright/i.test(block) ? block.trim() : undefined;
}

/** Text of every bundled package's licence: its LICENSE file, else its files' licence headers and the SPDX text we hold. */
function noticesText(moduleIds) {
  const packages = new Map();
  for (const id of moduleIds) {
    const owner = packageOf(id);
    if (!owner) continue;
    if (!packages.has(owner.name)) packages.set(owner.name, { ...owner, headers: new Set() });
    if (existsSync(id)) {
      const text = readFileSync(id, "utf8");
      const header = licenceHeader(text);
      if (header) packages.get(owner.name).headers.add(header);
      // Code a package took from elsewhere says so inside the file (protobuf-es's varint from Google's protobuf).
      for (const match of text.matchAll(/\/\/ Copyright [^\n]*\n(?:\/\/[^\n]*\n)*/g)) {
        if (/Redistribution and use/.test(match[0])) packages.get(owner.name).headers.add(match[0].trim());
      }
    }
  }
  const apache = readFileSync("LICENSE", "utf8");
  const sections = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, dir, headers }) => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const licenceFile = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE"].map((f) => join(dir, f)).find(existsSync);
    const body = licenceFile
      ? readFileSync(licenceFile, "utf8").trim()
      : [
          ...[...headers].map((h) => "```\n" + h + "\n```"),
          ...(/Apache-2\.0/.test(manifest.license ?? "")
            ? [`The package ships no LICENSE file; the Apache License 2.0 its files name:\n\n\`\`\`\n${apache.trim()}\n\`\`\``]
            : []),
        ].join("\n\n");
    return `## ${name} ${manifest.version}\n\nLicence: ${manifest.license}${manifest.repository ? ` — ${manifest.repository.url ?? manifest.repository}` : ""}\n\n${body}\n`;
  });
  return `# Third-party notices: protoc-gen-dataproc-connect.js\n\nThis file bundles the following packages.\n\n${sections.join("\n")}`;
}

export async function buildProtocPlugin() {
  const builtins = new Set(builtinModules);
  const { output } = await build({
    input: source,
    platform: "node",
    external: (id) => id.startsWith("node:") || builtins.has(id),
    plugins: [stubPlugin],
    treeshake: true,
    logLevel: "warn",
    write: true,
    output: { file: out, format: "esm", codeSplitting: false, minify: false, sourcemap: false },
  });
  const text = readFileSync(out, "utf8");
  if (!text.startsWith(shebang)) writeFileSync(out, shebang + text);
  chmodSync(out, 0o755);
  const ids = output.filter((o) => o.type === "chunk").flatMap((c) => c.moduleIds);
  writeFileSync(notices, noticesText(ids));
  return dirname(out);
}
