/**
 * The AWS SigV4 test suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4,
 * commit 495329c2, stored as data in test/fixtures/sigv4/v4): every case's
 * canonical request, string to sign and signature, header form.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signV4 } from "../src/aws/sigv4/sign.js";

const root = join(import.meta.dirname, "fixtures/sigv4/v4");
const cases = readdirSync(root).sort();

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  region: string;
  service: string;
  timestamp: string;
  normalize: boolean;
  sign_body: boolean;
  omit_session_token?: boolean;
}

/** request.txt: `METHOD path HTTP/1.1`, header lines (indented lines continue), blank line, body. */
function parseRequest(text: string) {
  const split = text.indexOf("\n\n");
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? undefined : text.slice(split + 2);
  const [requestLine, ...lines] = head.split("\n");
  const match = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine!);
  if (!match) throw new Error(`bad request line ${requestLine}`);
  const target = match[2]!;
  const q = target.indexOf("?");
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === "") continue;
    if (/^\s/.test(line)) {
      headers[headers.length - 1]![1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  const host = headers.find(([n]) => n.toLowerCase() === "host")![1];
  return {
    method: match[1]!,
    path: q < 0 ? target : target.slice(0, q),
    search: q < 0 ? "" : target.slice(q),
    headers,
    host,
    body,
  };
}

describe("AWS SigV4 test suite (aws-c-auth v4)", () => {
  it("has every case of the suite", () => {
    expect(cases.length).toBe(38);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const read = (file: string) => readFileSync(join(dir, file), "utf8");
      const context = JSON.parse(read("context.json")) as Context;
      const request = parseRequest(read("request.txt"));
      const result = await signV4(request, {
        credentials: {
          accessKeyId: context.credentials.access_key_id,
          secretAccessKey: context.credentials.secret_access_key,
          sessionToken: context.credentials.token,
        },
        region: context.region,
        service: context.service,
        date: new Date(context.timestamp),
        normalizePath: context.normalize,
        signPayloadHeader: context.sign_body,
        signSessionToken: !context.omit_session_token,
      });
      expect(result.canonicalRequest).toBe(read("header-canonical-request.txt"));
      expect(result.stringToSign).toBe(read("header-string-to-sign.txt"));
      expect(result.signature).toBe(read("header-signature.txt").trim());
      expect(result.authorization).toContain(`Signature=${result.signature}`);
    });
  }
});
