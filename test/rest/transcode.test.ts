// Transcoding units: every google.api.http rule shape, on a test service
// built from descriptors (test/support/rest-test-service.ts).
import { create, createRegistry } from "@bufbuild/protobuf";
import type { DescMethod } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { failureOf } from "../../src/core/failure.js";
import { createJsonCodec } from "../../src/rest/json-codec.js";
import { parsePathTemplate } from "../../src/rest/path-template.js";
import { transcode } from "../../src/rest/transcode.js";
import { restTestService } from "../support/rest-test-service.js";

const { service, snake, message } = restTestService();
const registry = createRegistry(service.file);
const codec = createJsonCodec(service, { registry });
const snakeCodec = createJsonCodec(snake, { registry });
const m = (name: string): DescMethod => service.methods.find((x) => x.name === name)!;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const req = (method: DescMethod, init: Record<string, unknown>) => create(method.input, init as never);
const run = (name: string, init: Record<string, unknown>, c = codec) => {
  const method = c === codec ? m(name) : snake.methods.find((x) => x.name === name)!;
  return transcode(method, req(method, init), c);
};

describe("path templates", () => {
  it("parses variables, patterns and the :verb", () => {
    const t = parsePathTemplate("/v1/{name=projects/*/jobs/*}/x/{a.b}:cancel");
    expect(t.verb).toBe("cancel");
    expect(t.variables.map((v) => [v.fieldPath.join("."), v.multiSegment])).toEqual([["name", true], ["a.b", false]]);
  });

  it.each([["v1/x", /start with/], ["/v1/{a", /unbalanced|unclosed/], ["/v1/*", /bare \*/], ["/v1/{a={b}}", /nested/], ["/v1/{a=**/x}", /last/]])(
    "rejects %s",
    (source, why) => {
      expect(() => parsePathTemplate(source)).toThrow(why);
    },
  );

  it("{field} percent-encodes every reserved character, / included, and space as %20", () => {
    const r = run("Cancel", { id: "a b/c?d#e%f+g&h=i!'()*~._-" });
    expect(r.path).toBe("/v1/items/a%20b%2Fc%3Fd%23e%25f%2Bg%26h%3Di%21%27%28%29%2A~._-:cancel");
  });

  it("{name=projects/*/jobs/*} keeps the slashes and checks the literals", () => {
    expect(run("Get", { name: "projects/p 1/jobs/j:1" }).path).toBe("/v1/projects/p%201/jobs/j%3A1");
  });

  it("falls back to additional_bindings when the first rule's field does not fit, and names the field when none fits", () => {
    const legacy = run("Get", { name: "folders/x", legacyId: "L1" });
    expect(legacy.path).toBe("/v1/legacy/L1");
    // name went nowhere in the path, so it is a query parameter of the second binding.
    expect(legacy.query).toBe("name=folders%2Fx");
    const e = (() => {
      try {
        run("Get", { name: "folders/x" });
      } catch (error) {
        return error as ConnectError;
      }
      throw new Error("no error");
    })();
    expect(e.code).toBe(Code.InvalidArgument);
    expect(e.rawMessage).toMatch(/field name = "folders\/x" does not match the path pattern projects\/\*\/jobs\/\*/);
    expect(failureOf(e)).toEqual({ origin: "local", unsent: true });
  });

  it("a missing path field is a local INVALID_ARGUMENT naming it", () => {
    expect(() => run("Cancel", {})).toThrow(/field id is required by the path POST \/v1\/items\/\{id\}:cancel but is not set/);
  });

  it("refuses . and .. as path values (no path traversal)", () => {
    expect(() => run("Cancel", { id: ".." })).toThrow(/does not match/);
    expect(() => run("Upload", { path: "a/../b" })).toThrow(/does not match/);
  });

  it("{path=**} keeps slashes and takes the :verb after it", () => {
    const r = run("Upload", { path: "a/b c/d", item: { id: "i", sizeBytes: 5n }, dryRun: true });
    expect(r.path).toBe("/v1/a/b%20c/d:upload");
    expect(r.body).toBe('{"id":"i","sizeBytes":"5"}');
    expect(r.query).toBe("dryRun=true");
  });
});

describe("query and body", () => {
  it("no body: nested messages three deep as dotted names, repeated keys, enums by name, int64 decimal, RFC 3339, %20", () => {
    const r = run("List", {
      parent: { id: "p1" },
      pageSize: 25n,
      tags: ["a b", "c+d", "é"],
      color: 2,
      since: timestampFromMs(Date.UTC(2024, 0, 2, 3, 4, 5, 600)),
      filter: { mid: { leaf: { deepValue: "x y", count: 9007199254740993n }, flag: true }, text: "t" },
      queryText: "name = \"my job\"",
    });
    expect(r.verb).toBe("GET");
    expect(r.path).toBe("/v1/p1/items");
    expect(r.body).toBeUndefined();
    expect(r.query.split("&")).toEqual([
      "pageSize=25",
      "tags=a%20b",
      "tags=c%2Bd",
      "tags=%C3%A9",
      "color=COLOR_DARK_BLUE",
      "since=2024-01-02T03%3A04%3A05.600Z",
      "filter.mid.leaf.deepValue=x%20y",
      "filter.mid.leaf.count=9007199254740993",
      "filter.mid.flag=true",
      "filter.text=t",
      "queryText=name%20%3D%20%22my%20job%22",
    ]);
    expect(r.query).not.toContain("+");
  });

  it("proto naming (json_naming PROTO_NAME) spells query keys and body keys as in the .proto", () => {
    const r = run("List", { parent: { id: "p1" }, pageSize: 5n, filter: { mid: { leaf: { deepValue: "v" } } } }, snakeCodec);
    expect(r.query).toBe("page_size=5&filter.mid.leaf.deep_value=v");
    expect(run("Upload", { path: "a", item: { displayName: "D" } }, snakeCodec).body).toBe('{"display_name":"D"}');
  });

  it("repeated messages cannot be query parameters: a clear local error", () => {
    expect(() => run("List", { parent: { id: "p" }, items: [{ id: "x" }] })).toThrow(/field items .* repeated message/);
  });

  it('body "*" whose fields are all in the path is exactly {}', () => {
    const r = run("Cancel", { id: "i1" });
    expect(r).toMatchObject({ verb: "POST", path: "/v1/items/i1:cancel", query: "", body: "{}" });
  });

  it("a named body field that is unset is {}; DELETE and custom verbs have no body", () => {
    expect(run("Upload", { path: "a" }).body).toBe("{}");
    expect(run("Delete", { id: "i" })).toMatchObject({ verb: "DELETE", body: undefined, query: "" });
    expect(run("Head", { id: "i" })).toMatchObject({ verb: "HEAD", path: "/v1/items/i" });
  });

  it("message names its binding's response_body", () => {
    expect(run("Peek", { id: "i" }).binding.responseBody?.name).toBe("item");
    expect(message("Wrapped").fields.map((f) => f.name)).toContain("item");
  });
});
