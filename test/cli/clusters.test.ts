// `clusters …` (Yandex, Huawei) and `applications …` (AWS), in-process
// through runCli against one emulator with short scripted start/stop
// times: the same --json keys on every cloud, start/stop waiting to the
// end state, and --cluster-name resolved (or refused naming the flag) on
// the job commands.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    pollIntervalSeconds: 0.01,
    clusterTiming: { startMs: 20, stopMs: 20 },
    aws: { applicationTiming: { startingMs: 20, stoppingMs: 20 } },
  });
});
afterAll(() => emulator.close());

async function cli(argv: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (t) => ((stdout += t), true) },
    stderr: { write: (t) => ((stderr += t), true) },
    env,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

const yandex = () => ({ env: { YC_IAM_TOKEN: emulator.iamToken }, target: ["--endpoint", emulator.url] });
const aws = () => ({
  env: { AWS_ACCESS_KEY_ID: emulator.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.aws.secretAccessKey },
  target: ["--cloud", "aws", "--endpoint", emulator.restUrl, "--region", emulator.aws.region],
});
const huawei = () => ({
  env: { HUAWEICLOUD_SDK_AK: emulator.huawei.accessKey, HUAWEICLOUD_SDK_SK: emulator.huawei.secretKey, HUAWEICLOUD_SDK_PROJECT_ID: emulator.huawei.projectId },
  target: ["--cloud", "huawei", "--endpoint", emulator.restUrl],
});
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const lines = (text: string): Record<string, unknown>[] => text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("clusters and applications --json", () => {
  it("lists and gets with the same keys on every cloud: camelCase id, provider status, short state, RFC 3339 time", async () => {
    const y = yandex();
    const yl = await cli(["clusters", "list", ...y.target, "--folder-id", emulator.folderId, "--json"], y.env);
    expect(yl.stderr).toBe("");
    expect(yl.code).toBe(0);
    const [yc] = lines(yl.stdout);
    expect(yc).toMatchObject({ cloud: "yandex", clusterId: emulator.clusters[0], name: "emulator-1", status: "RUNNING", state: "running" });
    expect(yc!["createdAt"]).toMatch(rfc3339);
    expect(Object.keys(yc!)).toEqual(["cloud", "clusterId", "name", "status", "state", "createdAt", "cluster"]);

    const a = aws();
    const al = await cli(["applications", "list", ...a.target, "--json"], a.env);
    expect(al.stderr).toBe("");
    const app = lines(al.stdout).find((x) => x["applicationId"] === emulator.aws.applicationId);
    expect(app).toMatchObject({ cloud: "aws", status: "STARTED", state: "running" });
    expect(app!["createdAt"]).toMatch(rfc3339);
    const ag = await cli(["applications", "get", emulator.aws.applicationId, ...a.target, "--json"], a.env);
    expect(lines(ag.stdout)[0]).toMatchObject({ applicationId: emulator.aws.applicationId, status: "STARTED", state: "running" });

    const h = huawei();
    const hl = await cli(["clusters", "list", ...h.target, "--json"], h.env);
    expect(hl.stderr).toBe("");
    const hc = lines(hl.stdout).find((x) => x["clusterId"] === emulator.clusters[0]);
    expect(hc).toMatchObject({ cloud: "huawei", state: "running" });
    expect(Object.keys(hc!)).toEqual(["cloud", "clusterId", "name", "status", "state", "createdAt", "cluster"]);
    const hg = await cli(["clusters", "get", emulator.clusters[0]!, ...h.target], h.env);
    expect(hg.code).toBe(0);
    expect(hg.stdout).toMatch(new RegExp(`^id {14}${emulator.clusters[0]}\\n`));
    expect(hg.stdout).toMatch(/\nstate {11}running\n/);
  });

  it("stops and starts a Yandex cluster and an AWS application, waiting for the end state", async () => {
    const y = yandex();
    const id = emulator.clusters[0]!;
    const stop = await cli(["clusters", "stop", id, ...y.target, "--poll-interval", "0.01", "--json"], y.env);
    expect(stop.stderr).toBe("");
    expect(lines(stop.stdout)[0]).toMatchObject({ clusterId: id, status: "STOPPED", state: "stopped" });
    const start = await cli(["clusters", "start", id, ...y.target, "--poll-interval", "0.01"], y.env);
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(new RegExp(`^cluster ${id} RUNNING in `));

    const a = aws();
    const appId = emulator.aws.applicationId;
    const astop = await cli(["applications", "stop", appId, ...a.target, "--poll-interval", "0.01", "--json"], a.env);
    expect(astop.stderr).toBe("");
    expect(lines(astop.stdout)[0]).toMatchObject({ applicationId: appId, status: "STOPPED", state: "stopped" });
    const astart = await cli(["applications", "start", appId, ...a.target, "--poll-interval", "0.01", "--json"], a.env);
    expect(lines(astart.stdout)[0]).toMatchObject({ applicationId: appId, status: "STARTED", state: "running" });
  });

  it("has no start on Huawei: a usage error listing the cloud's commands", async () => {
    const h = huawei();
    const r = await cli(["clusters", "start", emulator.clusters[0]!, ...h.target], h.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "clusters"|clusters list/);
  });
});

describe("--cluster-name", () => {
  it("resolves to the cluster's id for job list on Yandex and Huawei", async () => {
    const y = yandex();
    const yr = await cli(["list", ...y.target, "--cluster-name", "emulator-1", "--folder-id", emulator.folderId, "--json"], y.env);
    expect(yr.stderr).toBe("");
    expect(yr.code).toBe(0);
    const h = huawei();
    const hr = await cli(["list", ...h.target, "--cluster-name", "mrs-emulator-1", "--json"], h.env);
    expect(hr.stderr).toBe("");
    expect(hr.code).toBe(0);
  });

  it("maps NOT_FOUND to exit 1 and one line naming the flag", async () => {
    const y = yandex();
    const yr = await cli(["list", ...y.target, "--cluster-name", "nope", "--folder-id", emulator.folderId], y.env);
    expect(yr.code).toBe(1);
    expect(yr.stderr).toMatch(/^error: --cluster-name "nope": .*nope.*\n$/);
    const h = huawei();
    const hr = await cli(["list", ...h.target, "--cluster-name", "nope", "--json"], h.env);
    expect(hr.code).toBe(1);
    const { error } = JSON.parse(hr.stderr) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code: "NOT_FOUND", exitCode: 1, flag: "--cluster-name" });
    expect(String(error["message"])).toMatch(/^--cluster-name "nope": /);
  });

  it("maps an ambiguous name (two MRS clusters share it) to exit 1 naming the flag and both ids", async () => {
    // MRS allows duplicate names; the emulator's do not repeat, so a small server answers ListClusters with two.
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ clusterTotal: 2, clusters: [{ clusterId: "id-one", clusterName: "dup" }, { clusterId: "id-two", clusterName: "dup" }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const h = huawei();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await cli(["list", "--cloud", "huawei", "--endpoint", url, "--cluster-name", "dup"], h.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: --cluster-name "dup": .*id-one.*id-two.*\n$/);
      expect(r.stderr.split("\n")).toHaveLength(2);
      // Only the look-up was sent: no job call with a guessed cluster.
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/^GET \/v1\.1\/[^/]+\/cluster_infos\?/);
    } finally {
      server.close();
    }
  });

  it("refuses --cluster with --cluster-name, and --cluster-name without a folder, before any call", async () => {
    const y = yandex();
    const both = await cli(["list", ...y.target, "--cluster", "c9q", "--cluster-name", "x"], y.env);
    expect(both).toMatchObject({ code: 2, stderr: "error: give --cluster or --cluster-name, not both\n" });
    const noFolder = await cli(["list", ...y.target, "--cluster-name", "x"], y.env);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toMatch(/--folder-id/);
  });
});

describe("help", () => {
  it("lists each cloud's cluster or application commands", async () => {
    const root = await cli(["--help"], {});
    expect(root.stdout).toMatch(/\n {2}clusters start CLUSTER_ID +start a stopped cluster/);
    const awsHelp = await cli(["--cloud", "aws", "--help"], {});
    expect(awsHelp.stdout.match(/^ {2}applications (\w+)/gm)).toEqual(["  applications list", "  applications get", "  applications start", "  applications stop"]);
    const huaweiHelp = await cli(["--cloud", "huawei", "--help"], {});
    expect(huaweiHelp.stdout.match(/^ {2}clusters (\w+)/gm)).toEqual(["  clusters list", "  clusters get"]);
    expect(huaweiHelp.stdout).toContain("--cluster-name NAME");
  });
});
