// The emulator in its own process, so the client and the server are measured
// apart (CPU and memory). Started by emulator-process.mjs with fork(); the
// emulator options come as JSON in argv[2]. Answers commands over IPC:
//
//   cpuStart / cpuStop   CPU time this process used between the two, as a share of one core
//   createJobs           creates n Data Proc jobs through its own gRPC endpoint (loopback)
//   seedJobs             adds n Data Proc jobs straight to the store (emulator.seedJobs: no calls)
//   warmLogs             forces the lazily generated job logs to be built
//   memory               this process's RSS
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
import { CreateJobMetadataSchema, JobService } from "dataproc-connect/dataproc/v1";
import { startEmulator } from "dataproc-connect/testing";

const options = JSON.parse(process.argv[2] ?? "{}");
const emulator = await startEmulator(options);
const headers = { authorization: `Bearer ${emulator.iamToken}` };
const clusterId = emulator.clusters[0];
let window;

const commands = {
  cpuStart() {
    window = { cpu: process.cpuUsage(), t: performance.now() };
    return {};
  },
  cpuStop() {
    const cpu = process.cpuUsage(window.cpu);
    const wallMs = performance.now() - window.t;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return { cpuMs, wallMs, share: cpuMs / wallMs };
  },
  async createJobs({ n, concurrency = 1, properties = {}, keep = 1 }) {
    const sessionManager = new Http2SessionManager(emulator.url);
    const jobs = createClient(JobService, createGrpcTransport({ baseUrl: emulator.url, sessionManager }));
    const ids = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, n) }, async () => {
        while (next < n) {
          const i = next++;
          const op = await jobs.create(
            {
              clusterId,
              name: `bench-${i}`,
              jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://bench/app.jar", mainClass: "org.example.Bench", properties } },
            },
            { headers },
          );
          if (i < keep) ids[i] = anyUnpack(op.metadata, CreateJobMetadataSchema).jobId;
        }
      }),
    );
    const ms = performance.now() - t0;
    sessionManager.abort();
    return { ids, ms };
  },
  seedJobs({ n, properties = {} }) {
    const t0 = performance.now();
    const ids = emulator.seedJobs({ count: n, properties });
    return { count: ids.length, ms: performance.now() - t0 };
  },
  async warmLogs({ jobIds }) {
    const sessionManager = new Http2SessionManager(emulator.url);
    const jobs = createClient(JobService, createGrpcTransport({ baseUrl: emulator.url, sessionManager }));
    for (const jobId of jobIds) await jobs.listLog({ clusterId, jobId, pageSize: 1n }, { headers });
    sessionManager.abort();
    return {};
  },
  memory() {
    return { rss: process.memoryUsage.rss() };
  },
  async close() {
    await emulator.close();
    setImmediate(() => process.exit(0));
    return {};
  },
};

process.on("message", async ({ id, cmd, args }) => {
  try {
    const result = await commands[cmd](args ?? {});
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true, url: emulator.url, iamToken: emulator.iamToken, clusters: emulator.clusters });
