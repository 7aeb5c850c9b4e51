/**
 * Wire conformance of the EMR Serverless application operations against the
 * official client, @aws-sdk/client-emr-serverless: each request our client
 * sends (method, path, query, body JSON, SigV4) is the SDK's for the same
 * input, and both read the same response body to the same values.
 */
import {
  CreateApplicationCommand,
  DeleteApplicationCommand,
  GetApplicationCommand,
  ListApplicationsCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from "@aws-sdk/client-emr-serverless";
import type { CreateApplicationCommandInput } from "@aws-sdk/client-emr-serverless";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApplicationState, Architecture } from "../../src/aws/emr-serverless/index.js";
import type { CreateApplicationRequestSchema } from "../../src/aws/emr-serverless/index.js";
import { APP, clients, expectSameRequest, NOW, ok } from "../support/aws-wire-compare.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

const ARN = `arn:aws:emr-serverless:eu-west-1:123456789012:/applications/${APP}`;
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/abcd-1234";

/** Every member CreateApplication takes, in the SDK's shape… */
const sdkCreate = {
  name: "nightly-etl",
  releaseLabel: "emr-7.1.0",
  type: "Spark",
  clientToken: "create-token-1",
  initialCapacity: {
    Driver: { workerCount: 2, workerConfiguration: { cpu: "2 vCPU", memory: "4 GB", disk: "20 GB", diskType: "SHUFFLE_OPTIMIZED" } },
    Executor: { workerCount: 10, workerConfiguration: { cpu: "4 vCPU", memory: "16 GB" } },
  },
  maximumCapacity: { cpu: "400 vCPU", memory: "3000 GB", disk: "20000 GB" },
  tags: { team: "data", "cost center": "42" },
  autoStartConfiguration: { enabled: false },
  autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 30 },
  networkConfiguration: { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] },
  architecture: "ARM64",
  imageConfiguration: { imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:latest", applicationLevelDigestResolution: true },
  workerTypeSpecifications: { Executor: { imageConfiguration: { imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/exec:1" } } },
  runtimeConfiguration: [{ classification: "spark-defaults", properties: { "spark.executor.cores": "4" }, configurations: [{ classification: "inner" }] }],
  monitoringConfiguration: {
    s3MonitoringConfiguration: { logUri: "s3://b/logs/", encryptionKeyArn: KMS },
    managedPersistenceMonitoringConfiguration: { enabled: false },
    cloudWatchLoggingConfiguration: { enabled: true, logGroupName: "/emr", logStreamNamePrefix: "app", logTypes: { SPARK_DRIVER: ["STDOUT", "STDERR"] } },
    prometheusMonitoringConfiguration: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write" },
  },
  diskEncryptionConfiguration: { encryptionKeyArn: KMS, encryptionContext: { purpose: "test" } },
  interactiveConfiguration: { studioEnabled: true, livyEndpointEnabled: false, sessionEnabled: true },
  schedulerConfiguration: { queueTimeoutMinutes: 60, maxConcurrentRuns: 5 },
  identityCenterConfiguration: { identityCenterInstanceArn: "arn:aws:sso:::instance/ssoins-1", userBackgroundSessionsEnabled: true },
  jobLevelCostAllocationConfiguration: { enabled: true },
} satisfies CreateApplicationCommandInput;

/** …and in ours. */
const ourCreate: MessageInitShape<typeof CreateApplicationRequestSchema> = {
  ...sdkCreate,
  initialCapacity: {
    Driver: { workerCount: 2n, workerConfiguration: sdkCreate.initialCapacity.Driver.workerConfiguration },
    Executor: { workerCount: 10n, workerConfiguration: sdkCreate.initialCapacity.Executor.workerConfiguration },
  },
  architecture: Architecture.ARM64,
  monitoringConfiguration: {
    ...sdkCreate.monitoringConfiguration,
    cloudWatchLoggingConfiguration: { ...sdkCreate.monitoringConfiguration.cloudWatchLoggingConfiguration, logTypes: { SPARK_DRIVER: { values: ["STDOUT", "STDERR"] } } },
  },
};

describe("application requests are the AWS SDK's", () => {
  it("CreateApplication: POST /applications with every member, long worker counts as numbers", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ applicationId: APP, name: "nightly-etl", arn: ARN }));
    const sdkOut = await sdk.send(new CreateApplicationCommand(sdkCreate));
    const ourOut = await ours.createApplication(ourCreate);
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
    expect(oursSeen[0]!.method).toBe("POST");
    expect(oursSeen[0]!.path).toBe("/applications");
    expect(JSON.parse(oursSeen[0]!.body).initialCapacity.Executor.workerCount).toBe(10);
    expect({ applicationId: ourOut.applicationId, name: ourOut.name, arn: ourOut.arn }).toEqual({ applicationId: sdkOut.applicationId, name: sdkOut.name, arn: sdkOut.arn });
  });

  it("CreateApplication without clientToken: both fill a UUID v4 in the body", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ applicationId: APP, arn: ARN }));
    await sdk.send(new CreateApplicationCommand({ releaseLabel: "emr-7.1.0", type: "Hive" }));
    await ours.createApplication({ releaseLabel: "emr-7.1.0", type: "Hive" });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const sdkBody = JSON.parse(sdkSeen[0]!.body) as Record<string, unknown>;
    const ourBody = JSON.parse(oursSeen[0]!.body) as Record<string, unknown>;
    expect(sdkBody.clientToken).toMatch(uuid);
    expect(ourBody.clientToken).toMatch(uuid);
    expect({ ...ourBody, clientToken: "x" }).toEqual({ ...sdkBody, clientToken: "x" });
  });

  it("GetApplication: GET /applications/{applicationId}", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ application: {} }));
    await sdk.send(new GetApplicationCommand({ applicationId: APP }));
    await ours.getApplication({ applicationId: APP });
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
    expect(oursSeen[0]!.path).toBe(`/applications/${APP}`);
  });

  it("ListApplications: repeated states, maxResults, nextToken in the query; and with none", async () => {
    for (const input of [{ nextToken: "page=2", maxResults: 25, states: ["STARTED", "STOPPED"] as ("STARTED" | "STOPPED")[] }, {}]) {
      const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ applications: [] }));
      await sdk.send(new ListApplicationsCommand(input));
      await ours.listApplications({
        ...input,
        states: (input.states ?? []).map((s) => ApplicationState[s]),
      });
      await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
      expect(oursSeen[0]!.path).toBe("/applications");
    }
  });

  it("UpdateApplication: PATCH with the fields given and a clientToken", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ application: {} }));
    const { name: _n, type: _t, tags: _g, ...sdkRest } = sdkCreate;
    const { name: _n2, type: _t2, tags: _g2, ...ourRest } = ourCreate;
    await sdk.send(new UpdateApplicationCommand({ ...sdkRest, applicationId: APP, releaseLabel: "emr-7.2.0", clientToken: "update-token" }));
    await ours.updateApplication({ ...ourRest, applicationId: APP, releaseLabel: "emr-7.2.0", clientToken: "update-token" });
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
    expect(oursSeen[0]!.method).toBe("PATCH");
  });

  it("UpdateApplication with only the id: both fill the token, nothing else in the body", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ application: {} }));
    await sdk.send(new UpdateApplicationCommand({ applicationId: APP }));
    await ours.updateApplication({ applicationId: APP });
    expect(Object.keys(JSON.parse(oursSeen[0]!.body))).toEqual(Object.keys(JSON.parse(sdkSeen[0]!.body)));
  });

  it("DeleteApplication, StartApplication, StopApplication: verbs, paths, no body", async () => {
    const cases = [
      { sdk: new DeleteApplicationCommand({ applicationId: APP }), ours: "deleteApplication", method: "DELETE", path: `/applications/${APP}` },
      { sdk: new StartApplicationCommand({ applicationId: APP }), ours: "startApplication", method: "POST", path: `/applications/${APP}/start` },
      { sdk: new StopApplicationCommand({ applicationId: APP }), ours: "stopApplication", method: "POST", path: `/applications/${APP}/stop` },
    ] as const;
    for (const c of cases) {
      const { sdk, sdkSeen, ours, oursSeen } = clients(ok({}));
      await sdk.send(c.sdk as never);
      const out = await ours[c.ours]({ applicationId: APP });
      await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
      expect(oursSeen[0]!.method).toBe(c.method);
      expect(oursSeen[0]!.path).toBe(c.path);
      expect(Object.keys(out).filter((k) => k !== "$typeName")).toEqual([]);
    }
  });
});

describe("application responses read the same", () => {
  const application = {
    applicationId: APP,
    name: "nightly-etl",
    arn: ARN,
    releaseLabel: "emr-7.1.0",
    type: "Spark",
    state: "STARTED",
    stateDetails: "ok",
    initialCapacity: { Driver: { workerCount: 2, workerConfiguration: { cpu: "2 vCPU", memory: "4 GB", disk: "20 GB", diskType: "STANDARD" } } },
    maximumCapacity: { cpu: "400 vCPU", memory: "3000 GB" },
    createdAt: 1764592496.123,
    updatedAt: 1764592500,
    tags: { a: "b" },
    autoStartConfiguration: { enabled: true },
    autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 15 },
    networkConfiguration: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
    architecture: "X86_64",
    imageConfiguration: { imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:latest", resolvedImageDigest: `sha256:${"a".repeat(64)}`, applicationLevelDigestResolution: true },
    workerTypeSpecifications: { Driver: { imageConfiguration: { imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/d:1" } } },
    runtimeConfiguration: [{ classification: "spark-defaults", properties: { k: "v" } }],
    monitoringConfiguration: { cloudWatchLoggingConfiguration: { enabled: true, logTypes: { SPARK_EXECUTOR: ["STDERR"] } } },
    diskEncryptionConfiguration: { encryptionKeyArn: KMS },
    interactiveConfiguration: { studioEnabled: true, livyEndpointEnabled: true, sessionEnabled: false },
    schedulerConfiguration: { queueTimeoutMinutes: 720, maxConcurrentRuns: 15 },
    identityCenterConfiguration: { identityCenterInstanceArn: "arn:aws:sso:::instance/i", identityCenterApplicationArn: "arn:aws:sso::123456789012:application/a", userBackgroundSessionsEnabled: false },
    jobLevelCostAllocationConfiguration: { enabled: false },
    someFutureField: { x: 1 },
  };

  it("GetApplication: every member, dates, enums, long counts, maps of messages and lists; unknown fields ignored", async () => {
    const { sdk, ours } = clients(ok({ application }));
    const { application: s } = await sdk.send(new GetApplicationCommand({ applicationId: APP }));
    const { application: o } = await ours.getApplication({ applicationId: APP });
    expect(o).toBeDefined();
    expect(timestampDate(o!.createdAt!).getTime()).toBe(s!.createdAt!.getTime());
    expect(timestampDate(o!.updatedAt!).getTime()).toBe(s!.updatedAt!.getTime());
    expect(ApplicationState[o!.state]).toBe(s!.state);
    expect(Architecture[o!.architecture]).toBe(s!.architecture);
    expect(Number(o!.initialCapacity.Driver!.workerCount)).toBe(s!.initialCapacity!.Driver!.workerCount);
    expect(o!.initialCapacity.Driver!.workerConfiguration).toMatchObject(s!.initialCapacity!.Driver!.workerConfiguration!);
    for (const key of [
      "applicationId", "name", "arn", "releaseLabel", "type", "stateDetails", "maximumCapacity", "tags", "autoStartConfiguration",
      "autoStopConfiguration", "networkConfiguration", "imageConfiguration", "diskEncryptionConfiguration", "interactiveConfiguration",
      "schedulerConfiguration", "identityCenterConfiguration", "jobLevelCostAllocationConfiguration",
    ] as const) {
      expect(o![key], key).toMatchObject(s![key] as object);
    }
    expect(o!.workerTypeSpecifications.Driver!.imageConfiguration).toMatchObject(s!.workerTypeSpecifications!.Driver!.imageConfiguration!);
    expect(o!.runtimeConfiguration[0]).toMatchObject(s!.runtimeConfiguration![0]!);
    const cw = o!.monitoringConfiguration!.cloudWatchLoggingConfiguration!;
    expect(Object.fromEntries(Object.entries(cw.logTypes).map(([k, v]) => [k, v.values]))).toEqual(s!.monitoringConfiguration!.cloudWatchLoggingConfiguration!.logTypes);
  });

  it("ListApplications: summaries with `id`, nextToken; an unknown state reads as unspecified", async () => {
    const summary = { id: APP, name: "n", arn: ARN, releaseLabel: "emr-7.1.0", type: "Spark", state: "STOPPED", stateDetails: "idle", createdAt: 1764592496, updatedAt: 1764592496.5, architecture: "ARM64" };
    const { sdk, ours } = clients(ok({ applications: [summary, { ...summary, id: "x2", state: "SOME_NEW_STATE" }], nextToken: "n2" }));
    const s = await sdk.send(new ListApplicationsCommand({}));
    const o = await ours.listApplications({});
    expect(o.nextToken).toBe(s.nextToken);
    expect(o.applications.map((a) => a.id)).toEqual(s.applications!.map((a) => a.id));
    expect(ApplicationState[o.applications[0]!.state]).toBe(s.applications![0]!.state);
    expect(o.applications[1]!.state).toBe(ApplicationState.APPLICATION_STATE_UNSPECIFIED);
    expect(Architecture[o.applications[0]!.architecture]).toBe(s.applications![0]!.architecture);
    expect(timestampDate(o.applications[0]!.updatedAt!).getTime()).toBe(s.applications![0]!.updatedAt!.getTime());
    expect(o.applications[0]).toMatchObject({ name: s.applications![0]!.name, stateDetails: s.applications![0]!.stateDetails, releaseLabel: "emr-7.1.0", type: "Spark" });
  });

  it("UpdateApplication returns the application as GetApplication reads it", async () => {
    const { sdk, ours } = clients(ok({ application }));
    const s = await sdk.send(new UpdateApplicationCommand({ applicationId: APP }));
    const o = await ours.updateApplication({ applicationId: APP });
    expect(o.application?.applicationId).toBe(s.application?.applicationId);
    expect(ApplicationState[o.application!.state]).toBe(s.application!.state);
  });
});

describe("application requests are checked before the network", () => {
  it("names the field and the rule for a worker count, page size, id, name or release label out of the model's ranges", async () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [];
    const { ours, oursSeen } = clients(ok({}));
    cases.push(["workerCount 0", () => ours.createApplication({ releaseLabel: "emr-7.1.0", type: "Spark", initialCapacity: { Driver: { workerCount: 0n } } }), /worker_count|workerCount/]);
    cases.push(["maxResults 51", () => ours.listApplications({ maxResults: 51 }), /max_results|maxResults/]);
    cases.push(["applicationId with capitals", () => ours.startApplication({ applicationId: "ABC" }), /application_id|applicationId/]);
    cases.push(["name with a space", () => ours.createApplication({ name: "my app", releaseLabel: "emr-7.1.0", type: "Spark" }), /name/]);
    cases.push(["no releaseLabel", () => ours.createApplication({ type: "Spark" }), /release_label|releaseLabel/]);
    cases.push(["idle timeout of 0", () => ours.updateApplication({ applicationId: APP, autoStopConfiguration: { idleTimeoutMinutes: 0 } }), /idle_timeout_minutes|idleTimeoutMinutes/]);
    for (const [name, call, field] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(Error);
      expect(String((error as Error).message), name).toMatch(field);
    }
    expect(oursSeen).toHaveLength(0);
  });
});
