// The public API of every entry point, as text: one line per exported name
// with its kind and type (members of classes and interfaces one per line).
// Committed as test/api-report/*.api.txt, so that moving files around cannot
// silently drop or change a public name: `--check` fails on any difference
// and prints it; the plain run rewrites the reports.
//
// Reads the TypeScript sources of the entry points in package.json `exports`
// (no build needed), with the TypeScript 5.9 compiler API.
//
// Usage: node scripts/api-report.mjs [--check]
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const ts = createRequire(import.meta.url)("typescript");
const reportDir = "test/api-report";
const pkg = JSON.parse(readFileSync("package.json", "utf8"));

/** `[subpath, source file]` for every export but package.json. */
function entries() {
  return Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === "object")
    .map(([subpath, target]) => [subpath, target.import.default.replace(/^\.\/dist\/esm\//, "").replace(/\.js$/, ".ts")]);
}

const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;
// Types print by name: `import("…/file").Name` qualifiers name the file a
// type lives in, which is not part of the API (and moves with the files).
const clean = (text) => text.replace(/import\("[^"]*"(?:, \{ with: \{ "resolution-mode": "[a-z]+" \} \})?\)\./g, "").replace(/__@(\w+)@\d+/g, "[Symbol.$1]");
/** `<T extends X = Y>` of a generic declaration, as written. */
const typeParameters = (decl) => (decl && decl.typeParameters ? `<${decl.typeParameters.map((p) => p.getText()).join(", ")}>` : "");
/** Statics every class inherits from `Error` (Node's typings), not ours. */
const errorStatics = new Set(["captureStackTrace", "prepareStackTrace", "stackTraceLimit"]);

function kindOf(symbol) {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Variable) return "const";
  if (f & ts.SymbolFlags.Namespace) return "namespace";
  return "value";
}

function describe(checker, name, symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const decl = target.declarations?.[0];
  const kind = kindOf(target);
  const lines = [];
  if (kind === "interface" || kind === "class") {
    const type = checker.getDeclaredTypeOfSymbol(target);
    const bases = (type.getBaseTypes?.() ?? []).map((b) => checker.typeToString(b, undefined, flags));
    lines.push(`${kind} ${name}${typeParameters(decl)}${bases.length ? ` extends ${bases.join(", ")}` : ""}`);
    for (const member of checker.getPropertiesOfType(type)) {
      if ((member.declarations ?? []).some((d) => ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))) continue;
      if (member.name.startsWith("#") || member.name.startsWith("__")) continue;
      const optional = member.flags & ts.SymbolFlags.Optional ? "?" : "";
      lines.push(`  ${member.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, decl), undefined, flags)}`);
    }
    if (kind === "class") {
      const ctor = checker.getTypeOfSymbolAtLocation(target, decl);
      for (const signature of ctor.getConstructSignatures()) lines.push(`  new${checker.signatureToString(signature, undefined, flags)}`);
      for (const member of checker.getPropertiesOfType(ctor)) {
        if (member.name === "prototype" || errorStatics.has(member.name)) continue;
        lines.push(`  static ${member.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, decl), undefined, flags)}`);
      }
    }
  } else if (kind === "type") {
    const type = checker.getDeclaredTypeOfSymbol(target);
    lines.push(`type ${name}${typeParameters(decl)} = ${checker.typeToString(type, undefined, flags | ts.TypeFormatFlags.InTypeAlias)}`);
  } else if (kind === "enum") {
    const members = checker.getExportsOfModule(target).map((m) => `${m.name} = ${checker.getConstantValue(m.valueDeclaration)}`);
    lines.push(`enum ${name} { ${members.join(", ")} }`);
  } else {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    lines.push(`${kind} ${name}: ${checker.typeToString(type, undefined, flags)}`);
  }
  // A name that is both a type and a value (e.g. `type Sleep` and a const) is reported once per meaning.
  if (kind !== "type" && target.flags & ts.SymbolFlags.TypeAlias) {
    lines.push(`type ${name} = ${checker.typeToString(checker.getDeclaredTypeOfSymbol(target), undefined, flags | ts.TypeFormatFlags.InTypeAlias)}`);
  }
  return clean(lines.join("\n"));
}

function reports() {
  const config = ts.getParsedCommandLineOfConfigFile("tsconfig.json", {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const list = entries();
  const program = ts.createProgram(list.map(([, file]) => file), config.options);
  const checker = program.getTypeChecker();
  const out = new Map();
  for (const [subpath, file] of list) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${subpath}: ${file} not found`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    const blocks = exported.sort((a, b) => a.name.localeCompare(b.name)).map((s) => describe(checker, s.name, s));
    const name = subpath === "." ? "index" : subpath.slice(2).replaceAll("/", "-");
    out.set(`${name}.api.txt`, `// ${subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`}\n${blocks.join("\n")}\n`);
  }
  return out;
}

const fresh = reports();
if (process.argv.includes("--check")) {
  const problems = [];
  const committed = new Set(readdirSync(reportDir).filter((f) => f.endsWith(".api.txt")));
  for (const [file, text] of fresh) {
    committed.delete(file);
    let old = "";
    try {
      old = readFileSync(join(reportDir, file), "utf8");
    } catch {
      problems.push(`${file}: new entry point (no committed report)`);
      continue;
    }
    if (old === text) continue;
    const before = new Set(old.split("\n"));
    const after = new Set(text.split("\n"));
    const gone = [...before].filter((l) => !after.has(l)).map((l) => `  - ${l}`);
    const added = [...after].filter((l) => !before.has(l)).map((l) => `  + ${l}`);
    problems.push(`${file}:\n${[...gone, ...added].join("\n")}`);
  }
  for (const file of committed) problems.push(`${file}: entry point removed`);
  if (problems.length > 0) {
    console.error(`The public API differs from test/api-report (run node scripts/api-report.mjs and commit, if intended):\n${problems.join("\n")}`);
    process.exit(1);
  }
  console.log(`public API: ${fresh.size} entry points as committed`);
} else {
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  for (const [file, text] of fresh) writeFileSync(join(reportDir, file), text);
  console.log(`public API: wrote ${fresh.size} reports to ${reportDir}`);
}
