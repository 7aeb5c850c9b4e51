#!/usr/bin/env node
// protoc-gen-dataproc-connect: the buf/protoc plugin that turns .proto files
// into what dataproc-connect needs beside protoc-gen-es's messages and
// services, so that a new service is a .proto file and nothing else.
//
// For users (the default, shipped as the `protoc-gen-dataproc-connect` bin):
// for every file with methods annotated with (yandex.cloud.api.operation),
// `<file>_operation_types.ts` (or `.d.ts` with target=dts) adds the
// methods to the `OperationTypes` interface of `dataproc-connect` by module
// augmentation, so `await (await client.create(req)).wait()` is typed as the
// method's response message:
//
//   declare module "dataproc-connect" {
//     interface OperationTypes {
//       "acme.widgets.v1.CreateWidgetRequest": { metadata: CreateWidgetMetadata; response: Widget };
//     }
//   }
//
// For this repository (`mode=package`, see buf.gen.yaml):
//   - operation_types_pb.ts: `GeneratedOperationTypes`, every operation method
//     of ours, which src/yandex/operation-types.ts extends as `OperationTypes`;
//   - <package path>/index.ts per proto package: `export *` of each file of
//     the package, which the hand-written entry points re-export;
//   - api_files.ts: `apiFiles`, every file of the packages named by
//     `api_files=` (prefixes), each after the files it imports.
//
// The client reads the operation option from the descriptors at run time;
// the generated types only tell TypeScript what it will find.
import { posix } from "node:path";
import { getOption } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { createEcmaScriptPlugin, runNodeJs } from "@bufbuild/protoplugin";

const operationOption = "yandex.cloud.api.operation";
const name = "protoc-gen-dataproc-connect";
const version = "v1";

function parseOptions(raw) {
  const options = { mode: "user", apiFiles: [], augment: "dataproc-connect" };
  for (const { key, value } of raw) {
    switch (key) {
      case "mode":
        if (value !== "user" && value !== "package") throw new Error(`${name}: option mode=${value}: must be "user" or "package"`);
        options.mode = value;
        break;
      case "api_files":
        if (!value) throw new Error(`${name}: option api_files: needs a package prefix (e.g. api_files=yandex.)`);
        options.apiFiles.push(value);
        break;
      case "augment":
        if (!value) throw new Error(`${name}: option augment: needs the module to augment (default "dataproc-connect")`);
        options.augment = value;
        break;
      default:
        throw new Error(`${name}: unknown option ${key}${value ? `=${value}` : ""} (known: mode, api_files, augment)`);
    }
  }
  if (options.mode === "user" && options.apiFiles.length) throw new Error(`${name}: option api_files needs mode=package`);
  return options;
}

/**
 * Resolves a type name from the option the way protobuf resolves names:
 * relative to the method's package first, then each enclosing package, then
 * as a fully-qualified name.
 */
function resolve(typeName, pkg, messages) {
  const parts = pkg.split(".");
  for (let i = parts.length; i >= 0; i--) {
    const found = messages.get([...parts.slice(0, i), typeName].join("."));
    if (found) return found;
  }
  return undefined;
}

/** The operation methods of `files`, sorted by request type name, with the messages their operations carry. */
function operationMethods(schema, files) {
  // google.protobuf.Empty is named by the option of most Delete methods, yet
  // the public files do not import empty.proto (an option's text is not an
  // import); it is known here as protobuf-es's own well-known type.
  const messages = new Map([[EmptySchema.typeName, EmptySchema]]);
  let extension;
  for (const file of schema.allFiles) {
    for (const type of schema.typesInFile(file)) {
      if (type.kind === "message") messages.set(type.typeName, type);
      if (type.kind === "extension" && type.typeName === operationOption) extension = type;
    }
  }
  const entries = [];
  if (!extension) return entries;
  for (const file of files) {
    for (const service of file.services) {
      for (const method of service.methods) {
        const option = getOption(method, extension);
        if (!option.response) continue;
        const lookup = (typeName) => {
          const found = resolve(typeName, file.proto.package, messages);
          if (!found) throw new Error(`${service.typeName}.${method.name}: (${operationOption}) names unknown type ${typeName}`);
          return found;
        };
        entries.push({
          method,
          service,
          metadata: option.metadata ? lookup(option.metadata) : undefined,
          response: lookup(option.response),
        });
      }
    }
  }
  return entries.sort((a, b) => a.method.input.typeName.localeCompare(b.method.input.typeName));
}

/** `  "pkg.Request": { metadata: M; response: R };` lines, one per method. */
function printEntries(f, entries, indent) {
  for (const { method, service, metadata, response } of entries) {
    f.print(indent, "/** ", service.typeName, ".", method.name, " */");
    f.print(indent, JSON.stringify(method.input.typeName), ": { metadata: ", metadata ? f.importShape(metadata) : "undefined", "; response: ", f.importShape(response), " };");
  }
}

function generateUser(schema, extension) {
  if (schema.options.mode !== "user") throw new Error(`${name}: mode=package writes TypeScript only (target=ts)`);
  for (const file of schema.files) {
    const entries = operationMethods(schema, [file]);
    if (!entries.length) continue;
    const f = schema.generateFile(`${file.name}_operation_types${extension}`);
    f.preamble(file);
    f.print("// The result types of the operation methods of ", file.proto.name, ", for ", schema.options.augment, "'s");
    f.print("// typed operations: `(await client.method(request)).wait()` resolves to `response`.");
    f.print("declare module ", JSON.stringify(schema.options.augment), " {");
    f.print("  interface OperationTypes {");
    printEntries(f, entries, "    ");
    f.print("  }");
    f.print("}");
  }
}

function generatePackage(schema) {
  // The interface, with every operation method of this repository.
  const f = schema.generateFile("operation_types_pb.ts");
  f.print(`// @generated by ${name} ${version}. DO NOT EDIT.`);
  f.print("/* eslint-disable */");
  f.print();
  f.print("/**");
  f.print(" * The message types an Operation carries, for every method annotated with");
  f.print(` * (${operationOption}), keyed by the method's request type name.`);
  f.print(" */");
  f.print(f.export("interface", "GeneratedOperationTypes"), " {");
  printEntries(f, operationMethods(schema, schema.files), "  ");
  f.print("}");

  // One index per proto package: every file of it, so a new file is exported without a hand edit.
  const packages = new Map();
  for (const file of schema.files) {
    const pkg = file.proto.package;
    if (!packages.has(pkg)) packages.set(pkg, []);
    packages.get(pkg).push(file);
  }
  for (const [pkg, files] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const dir = pkg.split(".").join("/");
    const index = schema.generateFile(`${dir}/index.ts`);
    index.print(`// @generated by ${name} ${version}. DO NOT EDIT.`);
    index.print("/* eslint-disable */");
    index.print();
    index.print(`// Every file of package ${pkg}.`);
    for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
      index.print("export * from ", index.string(relativeImport(dir, file)), ";");
    }
  }

  // apiFiles: the named packages' files, each after the files it imports.
  const wanted = (file) => schema.options.apiFiles.some((prefix) => file.proto.package === prefix.replace(/\.$/, "") || file.proto.package.startsWith(prefix.endsWith(".") ? prefix : `${prefix}.`));
  const ordered = [];
  const placed = new Set();
  const place = (file) => {
    if (placed.has(file) || !schema.files.includes(file)) return;
    placed.add(file);
    file.dependencies.forEach(place);
    if (wanted(file)) ordered.push(file);
  };
  [...schema.files].sort((a, b) => a.name.localeCompare(b.name)).forEach(place);
  const api = schema.generateFile("api_files.ts");
  api.print(`// @generated by ${name} ${version}. DO NOT EDIT.`);
  api.print("/* eslint-disable */");
  api.print();
  api.print(`/** Every file of the packages ${schema.options.apiFiles.join(", ")}, each after the files it imports. */`);
  api.print(api.export("const", "apiFiles"), ": readonly ", api.import("DescFile", "@bufbuild/protobuf", true), "[] = [");
  for (const file of ordered) api.print("  ", api.importSchema(file), ",");
  api.print("];");
}

/** The import path of protoc-gen-es's file for `file` (`yandex/cloud/x.proto` → `…/x_pb.js`), relative to the directory `fromDir`. */
function relativeImport(fromDir, file) {
  const path = posix.relative(fromDir, `${file.name}_pb.js`);
  return path.startsWith(".") ? path : `./${path}`;
}

runNodeJs(
  createEcmaScriptPlugin({
    name,
    version,
    parseOptions,
    generateTs(schema) {
      if (schema.options.mode === "package") generatePackage(schema);
      else generateUser(schema, ".ts");
    },
    generateDts(schema) {
      generateUser(schema, ".d.ts");
    },
    // Types only: nothing to run.
    generateJs(schema) {
      if (schema.options.mode === "package") throw new Error(`${name}: mode=package writes TypeScript only (target=ts)`);
    },
  }),
);
