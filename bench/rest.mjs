// REST Get calls/s vs gRPC Get calls/s, in the same run against the same
// emulator: createYandexCloud({ transport: "rest" }) (fetch, HTTP/1.1
// keep-alive, JSON) against the default gRPC client (one HTTP/2 session,
// binary protobuf), with every interceptor on. Rounds alternate so that
// machine load hits both alike; the medians are printed as one row.
//
//   npm run build && node bench/rest.mjs [--clients 32] [--seconds 1] [--rounds 4] [--json]
//   (also row 7 of npm run bench)
//
// Not part of `npm test`: the numbers depend on the machine.
import { parseArgs } from "node:util";
import { JobService } from "../dist/esm/src/dataproc/v1/index.js";
import { createYandexCloud, dataprocJobs, iamToken } from "../dist/esm/src/index.js";
import { ManualClock, startEmulator } from "../dist/esm/src/testing/index.js";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "32" },
    seconds: { type: "string", default: "1" },
    rounds: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

const emulator = await startEmulator({ clock: new ManualClock(), callLogLimit: 1000 });
const options = { credentials: iamToken(emulator.iamToken), retry: false };
const grpc = createYandexCloud({ ...options, endpoint: emulator.url });
const rest = createYandexCloud({ ...options, endpoint: emulator.restUrl, transport: "rest" });
const clusterId = emulator.clusters[0];
const op = await grpc.client(JobService).create({ clusterId, jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://bench/app.jar" }) });
const request = { clusterId, jobId: op.decodedMetadata.jobId };

async function load(cloud) {
  const jobs = cloud.client(JobService);
  for (let i = 0; i < 200; i++) await jobs.get(request); // warm-up
  let calls = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        try {
          await jobs.get(request);
          calls++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { perSecond: calls / ((performance.now() - start) / 1000), errors };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { grpc: [], rest: [], errors: 0 };
for (let r = 0; r < rounds; r++) {
  for (const [name, cloud] of r % 2 === 0 ? [["grpc", grpc], ["rest", rest]] : [["rest", rest], ["grpc", grpc]]) {
    const { perSecond, errors } = await load(cloud);
    results[name].push(perSecond);
    results.errors += errors;
  }
}
grpc.close();
rest.close();
await emulator.close();

const summary = {
  name: "REST Get calls/s vs gRPC Get in the same run",
  clients,
  restPerSecond: Math.round(median(results.rest)),
  grpcPerSecond: Math.round(median(results.grpc)),
  ratio: Number((median(results.rest) / median(results.grpc)).toFixed(2)),
  errors: results.errors,
};
// Forked by bench/run.mjs: report the result over IPC.
process.send?.({ type: "result", result: summary });
if (values.json) console.log(JSON.stringify(summary));
else {
  console.log(
    `${summary.name}: REST ${summary.restPerSecond} calls/s, gRPC ${summary.grpcPerSecond} calls/s ` +
      `(REST = ${summary.ratio}× gRPC; ${clients} concurrent callers, median of ${rounds} rounds, ${summary.errors} errors)`,
  );
}
