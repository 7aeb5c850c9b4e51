/**
 * A local emulator of the Yandex Cloud APIs this package talks to, so that
 * code, tests and demos run with no cloud account. It serves, on one port,
 * gRPC over HTTP/2 (h2c, 127.0.0.1 by default):
 *
 * - `yandex.cloud.dataproc.v1.JobService` and `yandex.cloud.spark.v1.JobService`
 *   (List, Create, Get, ListLog, Cancel), with jobs that move
 *   PROVISIONING → PENDING → RUNNING → DONE | ERROR on the emulator clock,
 *   scriptable per job with the spec properties `emulator.duration_ms`,
 *   `emulator.outcome` (`succeeded`/`done`/`success` or `failed`/`error`, the
 *   same words on every face: see outcome.ts) and `emulator.log_bytes`;
 * - `yandex.cloud.operation.OperationService` (Get, Cancel);
 * - `yandex.cloud.iam.v1.IamTokenService` (Create from an OAuth token or a
 *   service-account JWT).
 *
 * The same state is also served as REST/JSON over HTTP/1.1 on
 * `emulator.restUrl`, through each service's `google.api.http` rules (Data
 * Proc jobs, operations, IAM; Managed Spark has no REST API), with Yandex's
 * error body. More provider faces plug in with the `restFaces` option.
 *
 * Every call but `IamTokenService.Create` needs `authorization: Bearer <token>`.
 * Requests are validated against the constraints declared in the .proto
 * files; errors carry `google.rpc.RequestInfo`; `Idempotency-Key` is honoured.
 * Faults (error codes, stream and connection resets, latency, NOT_FOUND polls,
 * early token expiry, calls held until released) can be injected
 * deterministically.
 *
 * Tests wait on the emulator, never on time: `emulator.waitForCalls(method,
 * n)` resolves once calls are logged, `emulator.whenIdle()` once nothing is
 * in flight, `emulator.faults.hold()` keeps calls in the server until
 * released (its `arrived` promise says one is there), and `emulator.mark()` /
 * `emulator.callsSince(mark)` give each test its own view of a shared log.
 *
 * @example
 * ```ts
 * import { createClient } from "@connectrpc/connect";
 * import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
 * import { JobService } from "dataproc-connect/dataproc/v1";
 * import { ManualClock, startEmulator } from "dataproc-connect/testing";
 *
 * const clock = new ManualClock();
 * await using emulator = await startEmulator({ clock });
 * const sessionManager = new Http2SessionManager(emulator.url);
 * const jobs = createClient(JobService, createGrpcTransport({ baseUrl: emulator.url, sessionManager }));
 * const headers = { authorization: `Bearer ${emulator.iamToken}` };
 * const op = await jobs.create({
 *   clusterId: emulator.clusters[0],
 *   jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar",
 *     properties: { "emulator.duration_ms": "1000", "emulator.outcome": "error" } } },
 * }, { headers });
 * clock.advance(2_000); // the job has failed; the operation is done with an error
 * emulator.faults.failNext(1, "UNAVAILABLE"); // the next call fails
 * sessionManager.abort();
 * ```
 *
 * @module
 */
export { Emulator, startEmulator } from "./server.js";
export type { EmulatorCompression, StartEmulatorOptions } from "./server.js";
export { yandexRestFace } from "./yandex/face.js";
export { createHuaweiFace } from "./huawei/face.js";
export type { HuaweiEmulatorIdentity, HuaweiFaceOptions } from "./huawei/face.js";
export { verifySdkHmacSha256 } from "./huawei/verify-signature.js";
export type { EmulatorHttpRequest, EmulatorHttpResponse, RestFace } from "./rest-face.js";
export { InMemoryEmulator, createInMemoryEmulator } from "./in-memory.js";
export { EmulatorControls, defaultClusterId, defaultFolderId } from "./core.js";
export { defaultClusterTiming } from "./clusters.js";
export type { ClusterTiming } from "./clusters.js";
export type { EmulatorOptions } from "./core.js";
export { ManualClock, RealClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { Faults } from "./faults.js";
export type { FaultCode, FaultConfig, FaultHold, FaultStep } from "./faults.js";
export type { CallLogEntry, CallLogMark, CallOutcome, CallWaitOptions } from "./call-log.js";
export { iamTokenAudience } from "./yandex/auth.js";
export type { AuthorizedKey, TrustedKey } from "./yandex/auth.js";
export { JobStatus, defaultJobTiming } from "./jobs.js";
export type { JobOutcome, JobTiming } from "./jobs.js";
export type { StatusName } from "./errors.js";
