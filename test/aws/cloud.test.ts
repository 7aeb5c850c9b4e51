/**
 * createAwsCloud's promises that need no server: no node: import on the AWS
 * path, secrets never shown, plaintext refused, bad input caught before
 * anything is sent, regions checked.
 */
import { CloudError } from "../../src/core/cloud-error.js";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { inspect } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerless } from "../../src/aws/emr-serverless/index.js";

const SECRET = "super/secret+AWS+key/0123456789abcdefghij";

/** Every module statically imported from `entry`, following relative imports. */
function staticGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
    graph.set(file, specs);
    for (const spec of specs) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  };
  visit(entry);
  return graph;
}

describe("createAwsCloud", () => {
  it("the dataproc-connect/aws and /aws/emr-serverless entry graphs import no node: module", () => {
    for (const entry of ["src/aws/index.ts", "src/aws/emr-serverless/index.ts"]) {
      const graph = staticGraph(join(import.meta.dirname, "../..", entry));
      expect(graph.size).toBeGreaterThan(5);
      const offenders = [...graph].flatMap(([file, specs]) => specs.filter((s) => s.startsWith("node:")).map((s) => `${file}: ${s}`));
      expect(offenders).toEqual([]);
    }
  });

  it("never shows the secret in inspect or JSON of the cloud or its credentials", () => {
    const credentials = awsCredentials({ accessKeyId: "AKIDSHOWN", secretAccessKey: SECRET, sessionToken: "TOKEN-SECRET-1234" });
    const cloud = createAwsCloud({ region: "us-east-1", credentials });
    for (const text of [inspect(cloud, { depth: 5 }), JSON.stringify(cloud), inspect(credentials), JSON.stringify(credentials)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("TOKEN-SECRET-1234");
    }
    expect(JSON.stringify(cloud)).toContain("us-east-1");
  });

  it("refuses plaintext HTTP to a non-loopback host unless explicitly allowed (with a warning), as an AwsError", () => {
    const credentials = awsCredentials({ accessKeyId: "A", secretAccessKey: SECRET });
    let refused: unknown;
    try {
      createAwsCloud({ region: "us-east-1", credentials, endpoint: "http://emr.internal:8080" });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AwsError);
    expect((refused as AwsError).code).toBe(Code.InvalidArgument);
    expect((refused as AwsError).rawMessage).toMatch(/plaintext HTTP to http:\/\/emr\.internal:8080/);
    expect(() => createAwsCloud({ region: "us-east-1", credentials, endpoint: "http://127.0.0.1:9" })).not.toThrow();
    const warnings: string[] = [];
    const original = process.emitWarning;
    process.emitWarning = ((message: string) => void warnings.push(message)) as typeof process.emitWarning;
    try {
      createAwsCloud({ region: "us-east-1", credentials, endpoint: "http://emr.internal:8080", insecurePlaintextHosts: ["emr.internal:8080"] });
    } finally {
      process.emitWarning = original;
    }
    expect(warnings.join("\n")).toMatch(/plaintext HTTP to emr\.internal:8080/);
  });

  it("checks the region", () => {
    expect(() => createAwsCloud({ region: "Frankfurt", credentials: awsCredentials({ accessKeyId: "A", secretAccessKey: "s" }) })).toThrow(
      /not a region name/,
    );
  });

  it("rejects bad input with the field path and rule before any request is made", async () => {
    let sent = 0;
    const fetch = (async () => {
      sent++;
      return new Response("{}");
    }) as typeof globalThis.fetch;
    const emr = createAwsCloud({ region: "us-east-1", credentials: awsCredentials({ accessKeyId: "A", secretAccessKey: "s" }), fetch }).client(EmrServerless);
    const error = await emr
      .cancelJobRun({ applicationId: "UPPER", jobRunId: "", shutdownGracePeriodInSeconds: 5000 })
      .then(() => undefined, (e: unknown) => CloudError.from(e));
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.message).toMatch(/application_id/);
    expect(error?.message).toMatch(/pattern/);
    expect(error?.message).toMatch(/job_run_id/);
    expect(error?.message).toMatch(/shutdown_grace_period_in_seconds/);
    expect(sent).toBe(0);
  });

  it("signs with the default endpoint of the service and region", async () => {
    const urls: string[] = [];
    const fetch = (async (input: string | URL) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ url: "u" }));
    }) as typeof globalThis.fetch;
    const emr = createAwsCloud({ region: "ap-south-1", credentials: awsCredentials({ accessKeyId: "A", secretAccessKey: "s" }), fetch }).client(EmrServerless);
    await emr.getDashboardForJobRun({ applicationId: "a1", jobRunId: "j1" });
    expect(urls).toEqual(["https://emr-serverless.ap-south-1.amazonaws.com/applications/a1/jobruns/j1/dashboard"]);
  });
});
