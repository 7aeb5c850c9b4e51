// Shared setup of the emulator suites: a real HTTP/2 server on 127.0.0.1
// with a manual clock, and Connect gRPC clients on one HTTP/2 session.
import { CloudError } from "../../src/core/cloud-error.js";
import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ConnectError, createClient } from "@connectrpc/connect";
import type { Client, Transport } from "@connectrpc/connect";
import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
import { JobService as DataprocJobService, CreateJobRequestSchema } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { IamTokenService } from "../../src/yandex/iam/v1/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator, StartEmulatorOptions } from "../../src/testing/index.js";
import { createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloud, HuaweiCloudOptions } from "../../src/huawei/index.js";

export interface Harness {
  readonly clock: ManualClock;
  readonly emulator: Emulator<ManualClock>;
  readonly transport: Transport;
  readonly sessionManager: Http2SessionManager;
  readonly dataproc: Client<typeof DataprocJobService>;
  readonly spark: Client<typeof SparkJobService>;
  readonly operations: Client<typeof OperationService>;
  readonly iam: Client<typeof IamTokenService>;
  /** Call options with the ready IAM token. */
  readonly auth: { headers: Record<string, string> };
  readonly cluster: string;
  close(): Promise<void>;
}

export async function startHarness(options: Omit<StartEmulatorOptions<ManualClock>, "clock"> = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, ...options });
  const sessionManager = new Http2SessionManager(emulator.url);
  const transport = createGrpcTransport({ baseUrl: emulator.url, sessionManager });
  return {
    clock,
    emulator,
    transport,
    sessionManager,
    dataproc: createClient(DataprocJobService, transport),
    spark: createClient(SparkJobService, transport),
    operations: createClient(OperationService, transport),
    iam: createClient(IamTokenService, transport),
    auth: { headers: { authorization: `Bearer ${emulator.iamToken}` } },
    cluster: emulator.clusters[0]!,
    async close() {
      sessionManager.abort();
      await emulator.close();
    },
  };
}

/** A valid Data Proc Create request for a Spark job, with optional emulator.* properties. */
export function sparkJobRequest(
  clusterId: string,
  properties: Record<string, string> = {},
  name = "",
): MessageInitShape<typeof CreateJobRequestSchema> {
  return create(CreateJobRequestSchema, {
    clusterId,
    name,
    jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://bucket/app.jar", properties } },
  });
}

/** The ConnectError a call failed with; fails the test if it succeeded. */
export async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (e) {
    return CloudError.from(e);
  }
  throw new Error("expected the call to fail");
}

/** A Huawei client on the emulator's Huawei face and manual clock, with its test AK/SK and project. */
export function huaweiCloudOn(emulator: Emulator<ManualClock>, extra: Partial<HuaweiCloudOptions> = {}): HuaweiCloud {
  return createHuaweiCloud({
    region: emulator.huawei.region,
    projectId: emulator.huawei.projectId,
    endpoint: emulator.restUrl,
    credentials: huaweiCredentials({ accessKey: emulator.huawei.accessKey, secretKey: emulator.huawei.secretKey }),
    clock: emulator.clock,
    sleep: emulator.clock.sleep,
    ...extra,
  });
}
