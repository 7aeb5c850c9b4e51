import type { ConnectRouter } from "@connectrpc/connect";
import { JobService as DataprocJobService } from "../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import { JobService as SparkJobService } from "../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import { ClusterService as DataprocClusterService } from "../../gen/yandex/cloud/dataproc/v1/cluster_service_pb.js";
import { ClusterService as SparkClusterService } from "../../gen/yandex/cloud/spark/v1/cluster_service_pb.js";
import type { Message } from "@bufbuild/protobuf";
import { ClusterRecord, ClusterStore, defaultClusterTiming } from "./clusters.js";
import type { ClusterTiming } from "./clusters.js";
import { registerClusterService } from "./yandex/cluster-service.js";
import { createApiRegistry } from "../yandex/registry.js";
import { Authority } from "./yandex/auth.js";
import { AwsEmulatorState } from "./aws/state.js";
import type { EmulatorAwsInfo, EmulatorAwsOptions } from "./aws/state.js";
import type { AuthorizedKey, TrustedKey } from "./yandex/auth.js";
import { CallLog } from "./call-log.js";
import type { CallLogEntry, CallLogMark, CallWaitOptions } from "./call-log.js";
import { RealClock } from "./clock.js";
import type { Clock } from "./clock.js";
import { Faults } from "./faults.js";
import type { FaultConfig } from "./faults.js";
import { resourceId } from "./ids.js";
import { defaultJobTiming } from "./jobs.js";
import type { JobTiming } from "./jobs.js";
import { OperationStore } from "./yandex/operations.js";
import type { PipelineDeps } from "./pipeline.js";
import type { RestFace } from "./rest-face.js";
import { registerIamTokenService } from "./yandex/iam-service.js";
import { registerJobService } from "./yandex/job-service.js";
import type { JobSeeder } from "./yandex/job-service.js";
import { registerOperationService } from "./yandex/operation-service.js";
import type { HuaweiEmulatorIdentity } from "./huawei/face.js";
import { newHuaweiIdentity } from "./huawei/identity.js";
import { MrsJobs } from "./huawei/mrs-jobs.js";
import { registerHuaweiMrsClusters } from "./huawei/mrs-clusters.js";
import { registerHuaweiMrsServices } from "./huawei/mrs-services.js";

/** The cluster id an emulator serves when no `clusters` are given. */
export const defaultClusterId = "c9qemulator0cluster1";

/** The folder of the clusters given at start, when no `folderId` is given. */
export const defaultFolderId = "b1gemulator0folder01";

/**
 * What the emulator serves and how it behaves; every option has a default
 * that works for a demo.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const emulator = await startEmulator({
 *   clock,
 *   clusters: ["c9qcluster0000000001", "c9qcluster0000000002"],
 *   jobTiming: { runningMs: 10_000, logBytes: 64 * 1024 },
 *   pollIntervalSeconds: 0.1,
 *   oauthTokens: ["y0_test-oauth-token"],
 * });
 * ```
 */
export interface EmulatorOptions<C extends Clock = Clock> {
  /** Time source (default: wall clock). Pass a `ManualClock` in tests. */
  readonly clock?: C;
  /**
   * Cluster ids both job services and both cluster services know, RUNNING
   * from the start and named `emulator-1`, `emulator-2`, … in
   * {@link EmulatorOptions.folderId} (default: one, {@link defaultClusterId}).
   */
  readonly clusters?: readonly string[];
  /** The folder of those clusters (default {@link defaultFolderId}). */
  readonly folderId?: string;
  /** How long cluster Create, Start, Stop and Delete take (defaults: 5 s, 3 s, 2 s, 2 s). */
  readonly clusterTiming?: Partial<ClusterTiming>;
  /** Default job schedule; see {@link JobTiming} (about 3 s in total by default). */
  readonly jobTiming?: Partial<JobTiming>;
  /** The `x-operation-poll-interval` header value, in seconds (default 1). */
  readonly pollIntervalSeconds?: number;
  /** Lifetime of issued IAM tokens (default 12 h). */
  readonly tokenLifetimeMs?: number;
  /** OAuth tokens `IamTokenService.Create` accepts (default: none). */
  readonly oauthTokens?: readonly string[];
  /** Existing service-account keys to trust for JWT exchange. */
  readonly trustedKeys?: readonly TrustedKey[];
  /** Initial random faults (default: none). */
  readonly faults?: FaultConfig;
  /** Owner of the ready {@link EmulatorControls.iamToken} and `created_by` of its jobs. */
  readonly subject?: string;
  /** Most call log entries kept (default 10 000; the oldest are dropped). */
  readonly callLogLimit?: number;
  /** The AWS side: region, application id, job-run timing (defaults: us-east-1, one app). */
  readonly aws?: EmulatorAwsOptions;
  /** Called with errors that are emulator bugs (default: `console.error`). */
  readonly onInternalError?: (error: unknown, method: string) => void;
  /**
   * More services to serve from this emulator's state, e.g. another
   * provider's job API behind its own {@link RestFace}: each registers its
   * handlers (wrapped with `unary(deps, …)` from pipeline.ts for faults, the
   * call log and validation) on the router every server shares.
   */
  readonly extraRoutes?: readonly ((router: ConnectRouter, deps: PipelineDeps) => void)[];
  /** Huawei test identity (default: a random AK/SK and project id in `cn-north-4`). */
  readonly huawei?: Partial<HuaweiEmulatorIdentity>;
}

/** Shared state of an emulator, whichever transport serves it. */
export interface EmulatorCore<C extends Clock> {
  readonly clock: C;
  readonly authority: Authority;
  readonly faults: Faults;
  readonly callLog: CallLog;
  readonly clusters: readonly string[];
  /** The folder of the clusters given at start. */
  readonly folderId: string;
  readonly readyToken: string;
  /** The AK/SK, project and region the Huawei MRS face accepts. */
  readonly huawei: HuaweiEmulatorIdentity;
  /** Registers every service of the emulator on a Connect router. */
  readonly routes: (router: ConnectRouter) => void;
  /** EMR Serverless state, keys and REST face. */
  readonly aws: AwsEmulatorState;
  /** The job stores' seeders, once the routes are registered (see {@link EmulatorControls.seedJobs}). */
  readonly seeders: { dataproc?: JobSeeder; spark?: JobSeeder };
  /** The subject of the ready token, `created_by` of seeded jobs. */
  readonly subject: string;
}

const twelveHours = 12 * 3600 * 1000;

/** Builds the emulator state and its routes from options. */
export function createEmulatorCore<C extends Clock>(options: EmulatorOptions<C>): EmulatorCore<C> {
  const clock = options.clock ?? (new RealClock() as Clock as C);
  const clusters = [...(options.clusters ?? [defaultClusterId])];
  if (clusters.length === 0) throw new RangeError("clusters must not be empty");
  const authority = new Authority(clock, {
    tokenLifetimeMs: options.tokenLifetimeMs ?? twelveHours,
    oauthTokens: options.oauthTokens ?? [],
    trustedKeys: options.trustedKeys ?? [],
  });
  const faults = new Faults();
  if (options.faults !== undefined) faults.set(options.faults);
  const callLog = new CallLog(options.callLogLimit);
  const subject = options.subject ?? "ajeemulator0user0001";
  const readyToken = authority.issue(subject).token;
  const seeders: { dataproc?: JobSeeder; spark?: JobSeeder } = {};
  const pollIntervalSeconds = options.pollIntervalSeconds ?? 1;
  const timing: JobTiming = { ...defaultJobTiming, ...options.jobTiming };
  const deps: PipelineDeps = {
    clock,
    authority,
    faults,
    callLog,
    onInternalError:
      options.onInternalError ??
      ((error, method) => console.error(`dataproc-connect emulator: ${method} failed unexpectedly`, error)),
  };
  const aws = new AwsEmulatorState(clock, options.aws);
  const operations = new OperationStore();
  const registry = createApiRegistry();
  const folderId = options.folderId ?? defaultFolderId;
  const clusterStore = new ClusterStore<Message>({ ...defaultClusterTiming, ...options.clusterTiming });
  const startedAt = clock.now();
  clusters.forEach((id, i) => {
    clusterStore.add(new ClusterRecord<Message>({ id, folderId, name: `emulator-${i + 1}`, createdAt: startedAt, owner: undefined, running: true }));
  });
  const env = { operations, pollIntervalSeconds, clusters: clusterStore, timing, registry };
  const huawei: HuaweiEmulatorIdentity = { ...newHuaweiIdentity(), ...options.huawei };
  const mrsJobs = new MrsJobs({ projectId: huawei.projectId, clusters, timing });
  const createdAt = clock.now();
  const register = (router: ConnectRouter): void => {
    registerIamTokenService(router, deps, authority);
    registerOperationService(router, deps, env, faults);
    seeders.dataproc = registerJobService(router, DataprocJobService, deps, env);
    seeders.spark = registerJobService(router, SparkJobService, deps, env);
    registerClusterService(router, DataprocClusterService, deps, env);
    registerClusterService(router, SparkClusterService, deps, env);
    aws.routes(router, deps);
    for (const extra of options.extraRoutes ?? []) extra(router, deps);
    registerHuaweiMrsServices(router, deps, mrsJobs);
    registerHuaweiMrsClusters(router, deps, mrsJobs, createdAt);
  };
  const routes = shareRoutes(register);
  return { clock, authority, faults, callLog, clusters, folderId, readyToken, huawei, routes, aws, seeders, subject };
}

/**
 * Registering a service creates its state (job store, …), so calling
 * `register` once per router would give each router its own jobs. This
 * registers once, remembers every `router.rpc(…)` call, and replays the
 * same implementations on any further router: the gRPC and REST servers
 * then serve one state.
 */
function shareRoutes(register: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
  let calls: Parameters<ConnectRouter["rpc"]>[] | undefined;
  return (router) => {
    if (calls === undefined) {
      const recorded: Parameters<ConnectRouter["rpc"]>[] = [];
      const recorder = new Proxy(router, {
        get(target, property, receiver) {
          if (property !== "rpc") return Reflect.get(target, property, receiver) as unknown;
          return (...args: Parameters<ConnectRouter["rpc"]>) => {
            recorded.push(args);
            return target.rpc(...args);
          };
        },
      });
      register(recorder);
      calls = recorded;
      return;
    }
    for (const args of calls) router.rpc(...args);
  };
}

/**
 * The controls every emulator offers, over HTTP/2 or in memory. Secrets
 * (the ready token, issued tokens, private keys) live in private fields and
 * never show in `util.inspect`, `JSON.stringify` or error messages.
 */
export class EmulatorControls<C extends Clock = Clock> {
  readonly #core: EmulatorCore<C>;

  constructor(core: EmulatorCore<C>) {
    this.#core = core;
  }

  /**
   * A ready IAM token (valid for the token lifetime from start), to send as
   * `authorization: Bearer <token>`.
   */
  get iamToken(): string {
    return this.#core.readyToken;
  }

  /**
   * The Huawei test identity the MRS face verifies SDK-HMAC-SHA256 against:
   * `createHuaweiCloud({ region, projectId, endpoint: emulator.restUrl,
   * credentials: huaweiCredentials({ accessKey, secretKey }) })`. Test keys
   * only; still kept out of `toJSON` and `util.inspect`.
   */
  get huawei(): HuaweiEmulatorIdentity {
    return this.#core.huawei;
  }

  /** Ids of the clusters given at start (clusters created through ClusterService are not listed). */
  get clusters(): readonly string[] {
    return this.#core.clusters;
  }

  /**
   * The folder of the clusters given at start, for `ClusterService.List`.
   *
   * @example
   * ```ts
   * const { clusters } = await client.list({ folderId: emulator.folderId });
   * ```
   */
  get folderId(): string {
    return this.#core.folderId;
  }

  /** The emulator's clock; a `ManualClock` if you passed one. */
  get clock(): C {
    return this.#core.clock;
  }

  /**
   * The AWS test keys, region and ready EMR Serverless application:
   * `createAwsCloud({ region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws) })`.
   * The secret is a non-enumerable getter: JSON and inspect never show it.
   */
  get aws(): EmulatorAwsInfo {
    return this.#core.aws.info;
  }

  /** Temporary AWS keys with a session token, valid for `ttlMs` of emulator time. */
  issueAwsSessionCredentials(ttlMs?: number): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number } {
    return this.#core.aws.issueSessionCredentials(ttlMs);
  }

  /** Expires every AWS session token issued so far: calls then get `ExpiredTokenException`. */
  expireAwsSessionTokens(): void {
    this.#core.aws.expireSessionTokens();
  }

  /** Fault injection controls. */
  get faults(): Faults {
    return this.#core.faults;
  }

  /** Every call so far, oldest first (a snapshot). */
  get calls(): readonly CallLogEntry[] {
    return this.#core.callLog.entries;
  }

  /**
   * Empties the call log. Racy when tests share an emulator: prefer
   * {@link mark} and {@link callsSince}, which give each test its own view.
   */
  clearCalls(): void {
    this.#core.callLog.clear();
  }

  /**
   * The current end of the call log. Calls recorded after it are what the
   * code under test caused, whatever else uses the emulator.
   *
   * @example
   * ```ts
   * const mark = emulator.mark();
   * await jobs.list({ clusterId });
   * emulator.callsSince(mark).map((c) => c.outcome); // ["ok"]
   * ```
   */
  mark(): CallLogMark {
    return this.#core.callLog.mark();
  }

  /** Calls recorded after `mark`, optionally only those whose method matches `methodSuffix`. */
  callsSince(mark: CallLogMark, methodSuffix?: string): CallLogEntry[] {
    return this.#core.callLog.since(mark, methodSuffix);
  }

  /**
   * Resolves with the matching calls once at least `count` calls to
   * `methodSuffix` (`""`: any method) are in the call log, optionally only
   * since a mark or with a given outcome. It waits on the log itself, not on
   * time, so a test never sleeps for a background call to happen.
   *
   * @example
   * ```ts
   * h.clock.advance(35 * 60_000);          // past half the token's life
   * await jobs.list({ clusterId });        // triggers a background refresh
   * await emulator.waitForCalls("IamTokenService/Create", 2);
   * ```
   */
  waitForCalls(methodSuffix: string, count: number, options?: CallWaitOptions): Promise<CallLogEntry[]> {
    return this.#core.callLog.waitFor(methodSuffix, count, options);
  }

  /** Calls received but not yet answered and recorded. */
  get callsInFlight(): number {
    return this.#core.callLog.inFlight;
  }

  /**
   * Resolves once every call the emulator has received is answered and in
   * the call log (at once when none is in flight): after a client cancelled
   * a call, this is when the log shows how the server ended it. It counts
   * every client of the emulator: with a shared emulator, wait for your own
   * calls with {@link waitForCalls} and a {@link mark} instead.
   */
  whenIdle(signal?: AbortSignal): Promise<void> {
    return this.#core.callLog.whenIdle(signal);
  }

  /**
   * Calls whose method matches `methodSuffix` at a `/` or `.` boundary.
   *
   * @example
   * ```ts
   * emulator.callsTo("JobService/Create").map((c) => c.outcome); // ["UNAVAILABLE", "ok"]
   * ```
   */
  callsTo(methodSuffix: string): CallLogEntry[] {
    return this.#core.callLog.to(methodSuffix);
  }

  /**
   * Mints an authorized key file for a service account (a new one unless
   * `serviceAccountId` is given) and trusts it for `IamTokenService.Create{jwt}`.
   */
  createServiceAccountKey(options: { serviceAccountId?: string } = {}): Promise<AuthorizedKey> {
    return this.#core.authority.mintKey(options.serviceAccountId);
  }

  /** Issues another IAM token, for `subject` (default: a new user id). */
  issueToken(subject: string = resourceId("aje")): string {
    return this.#core.authority.issue(subject).token;
  }

  /**
   * Expires every token issued so far, including {@link iamToken}: the next
   * call with any of them is UNAUTHENTICATED, as when a token dies before its
   * `expires_at`. Clients must exchange their credentials again.
   */
  expireTokens(): void {
    this.#core.authority.expireAll();
  }

  /**
   * Adds `count` finished-or-running Spark jobs straight to a job service's
   * store, as `JobService.Create` would store them (created now by the
   * ready token's subject, named `<namePrefix>-<i>`, timing from the
   * `emulator.*` `properties`), but with no call, no operation and nothing
   * in the call log. For tests and benchmarks that need many jobs: creating
   * 100 000 through gRPC takes minutes, this a few seconds.
   * Returns the new ids, oldest first.
   *
   * @example
   * ```ts
   * emulator.seedJobs({ count: 100_000 });
   * for await (const job of listJobs(cloud, JobService, emulator.clusters[0])) …
   * ```
   */
  seedJobs(options: {
    readonly count: number;
    /** Which JobService (default `"dataproc"`). */
    readonly service?: "dataproc" | "spark";
    /** Default: the first cluster. */
    readonly clusterId?: string;
    /** Default `"seeded"`. */
    readonly namePrefix?: string;
    readonly properties?: Readonly<Record<string, string>>;
  }): string[] {
    const { count, service = "dataproc", clusterId = this.#core.clusters[0]!, namePrefix = "seeded", properties = {} } = options;
    if (!Number.isInteger(count) || count < 0 || count > 10_000_000) throw new RangeError(`seedJobs: count must be an integer from 0 to 10000000, got ${String(count)}`);
    if (service !== "dataproc" && service !== "spark") throw new TypeError(`seedJobs: service must be "dataproc" or "spark", got ${JSON.stringify(service)}`);
    if (!this.#core.clusters.includes(clusterId)) throw new RangeError(`seedJobs: clusterId ${JSON.stringify(clusterId)} is not one of the emulator's clusters`);
    const seed = this.#core.seeders[service];
    if (seed === undefined) throw new Error("seedJobs: the job services are not registered yet");
    return seed({ count, clusterId, namePrefix, properties }, this.#core.clock.now(), this.#core.subject);
  }

  /** A summary without secrets, for logs and `util.inspect`. */
  toJSON(): Record<string, unknown> {
    return { clusters: this.clusters };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }
}
