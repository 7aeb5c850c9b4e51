// Creates jobs in a running emulator through JobService.Create, in a process
// of its own (so neither the emulator's nor the measuring process's memory
// holds the load generator's garbage). argv: url token clusterId n concurrency deadlineMs
// Stops early at the deadline; reports how many it created.
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
import { JobService } from "dataproc-connect/dataproc/v1";

const [url, token, clusterId, nText, concurrencyText, deadlineText] = process.argv.slice(2);
const n = Number(nText);
const deadline = performance.now() + Number(deadlineText ?? Infinity);
const headers = { authorization: `Bearer ${token}` };
const sessionManager = new Http2SessionManager(url);
const jobs = createClient(JobService, createGrpcTransport({ baseUrl: url, sessionManager }));
let next = 0;
let done = 0;
const t0 = performance.now();
const timer = setInterval(() => process.send?.({ progress: done }), 2000);
await Promise.all(
  Array.from({ length: Number(concurrencyText) }, async () => {
    while (next < n && performance.now() < deadline) {
      const i = next++;
      await jobs.create(
        { clusterId, name: `bench-${i}`, jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://bench/app.jar", mainClass: "org.example.Bench" } } },
        { headers },
      );
      done++;
    }
  }),
);
clearInterval(timer);
sessionManager.abort();
process.send?.({ done, ms: performance.now() - t0 }, () => process.exit(0));
