// Throughput of the emulator on unary JobService.Get.
//
// The emulator runs on the main thread; the load generator (N concurrent
// Connect gRPC clients sharing ONE HTTP/2 session) runs in a worker thread,
// so client-side work does not eat the server's event loop and the number
// measures the emulator, not the client.
//
//   npm run build && node bench/emulator-get.mjs [--clients 64] [--seconds 2]
//
// Not part of `npm test`: numbers depend on the machine. For reference, the
// same load against a bare connect-node gRPC server whose Get returns a
// constant is printed with --baseline.
import { createServer } from "node:http2";
import { parseArgs } from "node:util";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager, connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import { CreateJobMetadataSchema, JobService } from "../dist/esm/src/yandex/dataproc/v1/index.js";
import { ManualClock, startEmulator } from "../dist/esm/src/testing/index.js";

if (isMainThread) {
  const { values } = parseArgs({
    options: {
      clients: { type: "string", default: "64" },
      seconds: { type: "string", default: "2" },
      baseline: { type: "boolean", default: false },
    },
  });
  const clients = Number(values.clients);
  const seconds = Number(values.seconds);

  const emulator = await startEmulator({ clock: new ManualClock(), callLogLimit: 1000 });
  const setupSession = new Http2SessionManager(emulator.url);
  const jobs = createClient(JobService, createGrpcTransport({ baseUrl: emulator.url, sessionManager: setupSession }));
  const headers = { authorization: `Bearer ${emulator.iamToken}` };
  const clusterId = emulator.clusters[0];
  const op = await jobs.create(
    { clusterId, jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://bench/app.jar" } } },
    { headers },
  );
  const jobId = anyUnpack(op.metadata, CreateJobMetadataSchema).jobId;
  setupSession.abort();

  const result = await load(emulator.url, { clients, seconds, headers, request: { clusterId, jobId } });
  console.log(
    `emulator JobService.Get: ${clients} concurrent clients on one HTTP/2 session, ${result.elapsed.toFixed(2)} s: ` +
      `${Math.round(result.calls / result.elapsed)} calls/s (p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.calls} calls, ${result.errors} errors)`,
  );
  await emulator.close();

  if (values.baseline) {
    const server = createServer(
      connectNodeAdapter({
        grpc: true,
        connect: false,
        grpcWeb: false,
        routes: (router) => router.service(JobService, { get: (req) => ({ id: req.jobId, clusterId: req.clusterId }) }),
      }),
    );
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${server.address().port}`;
    const base = await load(url, { clients, seconds, headers: {}, request: { clusterId, jobId } });
    console.log(`bare connect-node Get (constant answer): ${Math.round(base.calls / base.elapsed)} calls/s (p50 ${base.p50} ms, p99 ${base.p99} ms)`);
    server.closeAllConnections?.();
    server.close();
  }
} else {
  const { url, clients, seconds, headers, request } = workerData;
  const sessionManager = new Http2SessionManager(url);
  const jobs = createClient(JobService, createGrpcTransport({ baseUrl: url, sessionManager }));
  for (let i = 0; i < 300; i++) await jobs.get(request, { headers }); // warm-up
  let calls = 0;
  let errors = 0;
  const latencies = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await jobs.get(request, { headers });
          calls++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  sessionManager.abort();
  parentPort.postMessage({ calls, errors, elapsed, p50: pct(50), p99: pct(99) });
}

function load(url, options) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { url, ...options } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}
