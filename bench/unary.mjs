// 3. Unary calls: JobService.Get throughput and latency, concurrency 1 and 64,
// against the emulator running in a child process (real clock), for
//
//   ours  createYandexCloud({ endpoint, credentials: iamToken(t) }): the full
//         interceptor stack (errors, validation, call ids, retry, request id,
//         auth, default deadline);
//   raw   createClient(JobService, createGrpcTransport(...)), no interceptors,
//         the authorization header passed per call: the floor;
//   sdk   @yandex-cloud/nodejs-sdk 3.2.0 (nice-grpc over grpc-js; see lib/sdk.mjs).
//
// Rounds alternate the contenders (order rotated every round); each measures
// a fixed time. Reported: medians over rounds of calls/s, p50 and p99, the
// emulator's and this process's CPU (share of one core, and per call) during
// each window; ratios are medians of the per-round ratios.
//
//   node bench/unary.mjs [--seconds 1.5] [--rounds 8]
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
import { createYandexCloud, iamToken } from "../dist/esm/src/index.js";
import { JobService } from "../dist/esm/src/dataproc/v1/index.js";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { jobService, plaintextSession } from "./lib/sdk.mjs";
import { Samples, median, percentileSorted } from "./lib/stats.mjs";

async function makeContenders(emulator, ref) {
  const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
  const ours = cloud.client(JobService);

  const sessionManager = new Http2SessionManager(emulator.url);
  const raw = createClient(JobService, createGrpcTransport({ baseUrl: emulator.url, sessionManager }));
  const headers = { authorization: `Bearer ${emulator.iamToken}` };

  const session = plaintextSession(emulator.url, emulator.iamToken);
  const sdk = session.client(jobService.JobServiceClient);

  return {
    contenders: {
      ours: () => ours.get(ref),
      raw: () => raw.get(ref, { headers }),
      sdk: () => sdk.get(jobService.GetJobRequest.fromPartial(ref)),
    },
    close() {
      cloud.close();
      sessionManager.abort();
      session.closeAll();
    },
  };
}

async function load(call, concurrency, ms) {
  const samples = new Samples();
  let errors = 0;
  let firstError;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await call();
          samples.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  if (errors > 0) throw new Error(`${errors} calls failed: ${firstError}`);
  const sorted = samples.sorted();
  return {
    calls: samples.length,
    callsPerSec: (samples.length / elapsed) * 1000,
    p50: percentileSorted(sorted, 50),
    p99: percentileSorted(sorted, 99),
    clientCpuShare: (cpu.user + cpu.system) / 1000 / elapsed,
    clientCpuUsPerCall: (cpu.user + cpu.system) / samples.length,
  };
}

export async function unary({ seconds = 1.5, rounds = 8, concurrencies = [1, 64] } = {}) {
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const { ids } = await emulator.call("createJobs", { n: 1 });
  const ref = { clusterId: emulator.clusterId, jobId: ids[0] };
  const { contenders, close } = await makeContenders(emulator, ref);
  const names = Object.keys(contenders);
  const results = {};
  for (const c of concurrencies) {
    results[c] = Object.fromEntries(names.map((n) => [n, []]));
    for (const n of names) await load(contenders[n], c, 500); // warm-up: JIT, connections
    for (let r = 0; r < rounds; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]);
      for (const n of order) {
        await emulator.call("cpuStart");
        const res = await load(contenders[n], c, seconds * 1000);
        const cpu = await emulator.call("cpuStop");
        results[c][n].push({ ...res, emulatorCpuShare: cpu.share, emulatorCpuUsPerCall: (cpu.cpuMs * 1000) / res.calls });
        progress("unary", `c=${c} round ${r + 1}/${rounds} ${n}: ${res.callsPerSec.toFixed(0)} calls/s p50 ${res.p50.toFixed(2)} ms p99 ${res.p99.toFixed(2)} ms, emulator CPU ${(cpu.share * 100).toFixed(0)}%`);
      }
    }
  }
  close();
  await emulator.close();

  const out = { seconds, rounds, concurrency: {} };
  for (const c of concurrencies) {
    const summary = {};
    for (const n of names) {
      const list = results[c][n];
      summary[n] = {
        callsPerSec: median(list.map((x) => x.callsPerSec)),
        p50: median(list.map((x) => x.p50)),
        p99: median(list.map((x) => x.p99)),
        emulatorCpuShare: median(list.map((x) => x.emulatorCpuShare)),
        clientCpuShare: median(list.map((x) => x.clientCpuShare)),
        clientCpuUsPerCall: median(list.map((x) => x.clientCpuUsPerCall)),
        emulatorCpuUsPerCall: median(list.map((x) => x.emulatorCpuUsPerCall)),
        rounds: list.map((x) => Math.round(x.callsPerSec)),
      };
    }
    // The headline ratio is the median of per-round ratios: the contenders of
    // one round ran seconds apart, so they shared the machine's load, which on
    // a shared machine drifts far more than the contenders differ.
    const perRound = (a, b) => median(results[c][a].map((x, i) => x.callsPerSec / results[c][b][i].callsPerSec));
    out.concurrency[c] = {
      ...summary,
      ratio: {
        oursVsRaw: perRound("ours", "raw"),
        oursVsSdk: perRound("ours", "sdk"),
        oursVsRawOfMedians: summary.ours.callsPerSec / summary.raw.callsPerSec,
        oursVsSdkOfMedians: summary.ours.callsPerSec / summary.sdk.callsPerSec,
        clientCpuPerCallOursVsRaw: summary.ours.clientCpuUsPerCall / summary.raw.clientCpuUsPerCall,
      },
    };
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: "string", default: "1.5" }, rounds: { type: "string", default: "8" } } });
  report(await unary({ seconds: Number(values.seconds), rounds: Number(values.rounds) }));
}
