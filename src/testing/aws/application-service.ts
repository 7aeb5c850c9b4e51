import { create, equals } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import type { ConnectRouter } from "@connectrpc/connect";
import { ApplicationSchema, ApplicationState, ApplicationSummarySchema, Architecture } from "../../../gen/aws/emr_serverless/v1/application_pb.js";
import { CreateApplicationRequestSchema, EmrServerlessService } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import type { UpdateApplicationRequest } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { unary } from "../pipeline.js";
import type { PipelineDeps } from "../pipeline.js";
import type { ApplicationConfig, ApplicationRecord, Applications } from "./applications.js";
import { awsError } from "./errors.js";

/** What the application handlers need besides the applications. */
export interface ApplicationServiceEnv {
  readonly region: string;
  readonly accountId: string;
  /** How many runs of an application are not final at `now` (StopApplication refuses while any are). */
  readonly activeRuns: (applicationId: string, now: number) => number;
}

const engineTypes = new Set(["spark", "hive"]);

/** The configuration fields of a Create or Update request (without its id, token and message type). */
function configOf(request: object): Partial<ApplicationConfig> {
  const { $typeName: _t, $unknown: _u, clientToken: _c, applicationId: _a, ...rest } = request as Record<string, unknown>;
  return rest as Partial<ApplicationConfig>;
}

/** An update applies the fields it sets (messages set, lists and maps non-empty, strings non-empty, enums non-zero). */
function merged(current: ApplicationConfig, update: UpdateApplicationRequest): ApplicationConfig {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(configOf(update))) {
    const empty =
      value === undefined || value === "" || value === 0 || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && !("$typeName" in value) && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!empty) next[key] = value;
  }
  return next as ApplicationConfig;
}

/**
 * The application operations of EMR Serverless over the emulator clock:
 * Create (CREATING → CREATED, deduped by clientToken), Get, List (newest
 * first, `states`, paging), Update and Delete (only CREATED or STOPPED),
 * Start (→ STARTING → STARTED) and Stop (→ STOPPING → STOPPED, refused
 * while runs are active), with the defaults AWS reports (auto-start on,
 * auto-stop after 15 idle minutes, X86_64).
 */
export function registerApplicationService(router: ConnectRouter, deps: PipelineDeps, apps: Applications, env: ApplicationServiceEnv): void {
  const arnOf = (id: string): string => `arn:aws:emr-serverless:${env.region}:${env.accountId}:/applications/${id}`;
  const view = (app: ApplicationRecord, now: number) => {
    const c = app.config;
    const { state } = app.at(now);
    return {
      common: {
        name: c.name,
        arn: arnOf(app.id),
        releaseLabel: c.releaseLabel,
        type: c.type,
        state: ApplicationState[state],
        createdAt: timestampFromMs(app.createdAt),
        updatedAt: timestampFromMs(app.updatedAt(now)),
        architecture: c.architecture === Architecture.ARCHITECTURE_UNSPECIFIED ? Architecture.X86_64 : c.architecture,
      },
      full: (): MessageInitShape<typeof ApplicationSchema> => ({
        initialCapacity: c.initialCapacity,
        maximumCapacity: c.maximumCapacity,
        tags: c.tags,
        autoStartConfiguration: { enabled: c.autoStartConfiguration?.enabled ?? true },
        autoStopConfiguration: {
          enabled: c.autoStopConfiguration?.enabled ?? true,
          idleTimeoutMinutes: c.autoStopConfiguration?.idleTimeoutMinutes ?? 15,
        },
        networkConfiguration: c.networkConfiguration,
        ...(c.imageConfiguration ? { imageConfiguration: { imageUri: c.imageConfiguration.imageUri, applicationLevelDigestResolution: c.imageConfiguration.applicationLevelDigestResolution } } : {}),
        workerTypeSpecifications: Object.fromEntries(
          Object.entries(c.workerTypeSpecifications).map(([k, v]) => [k, { imageConfiguration: v.imageConfiguration ? { imageUri: v.imageConfiguration.imageUri } : undefined }]),
        ),
        runtimeConfiguration: c.runtimeConfiguration,
        monitoringConfiguration: c.monitoringConfiguration,
        diskEncryptionConfiguration: c.diskEncryptionConfiguration,
        interactiveConfiguration: c.interactiveConfiguration,
        schedulerConfiguration: c.schedulerConfiguration,
        ...(c.identityCenterConfiguration
          ? {
              identityCenterConfiguration: {
                identityCenterInstanceArn: c.identityCenterConfiguration.identityCenterInstanceArn,
                userBackgroundSessionsEnabled: c.identityCenterConfiguration.userBackgroundSessionsEnabled,
                identityCenterApplicationArn: `arn:aws:sso::${env.accountId}:application/emulator/${app.id}`,
              },
            }
          : {}),
        jobLevelCostAllocationConfiguration: c.jobLevelCostAllocationConfiguration,
      }),
    };
  };
  const application = (app: ApplicationRecord, now: number) => {
    const v = view(app, now);
    return create(ApplicationSchema, { ...v.common, ...v.full(), applicationId: app.id });
  };
  const m = EmrServerlessService.method;
  const open = { public: true } as const;

  router.rpc(
    m.createApplication,
    unary(deps, m.createApplication, open, (request, call) => {
      if (request.clientToken === "") throw awsError(Code.InvalidArgument, "ValidationException", "clientToken is required");
      if (!engineTypes.has(request.type.toLowerCase())) {
        throw awsError(Code.InvalidArgument, "ValidationException", `Unsupported engine ${request.type}: type must be Spark or Hive`);
      }
      const config = configOf(request) as ApplicationConfig;
      const previous = apps.byToken(request.clientToken);
      if (previous) {
        const same = equals(CreateApplicationRequestSchema, create(CreateApplicationRequestSchema, previous.config), create(CreateApplicationRequestSchema, config));
        if (!same) throw awsError(Code.AlreadyExists, "ConflictException", `clientToken ${request.clientToken} was used with a different request`);
        return { applicationId: previous.app.id, name: previous.app.config.name, arn: arnOf(previous.app.id) };
      }
      const app = apps.create(request.clientToken, config, call.now);
      return { applicationId: app.id, name: app.config.name, arn: arnOf(app.id) };
    }),
  );

  router.rpc(
    m.getApplication,
    unary(deps, m.getApplication, open, (request, call) => ({ application: application(apps.get(request.applicationId), call.now) })),
  );

  router.rpc(
    m.listApplications,
    unary(deps, m.listApplications, open, (request, call) => {
      const all = apps
        .list()
        .map((app) => ({ app, v: view(app, call.now) }))
        .filter(({ v }) => (request.states.length === 0 ? v.common.state !== ApplicationState.TERMINATED : request.states.includes(v.common.state)));
      let offset = 0;
      if (request.nextToken !== "") {
        const match = /^o([0-9]+)$/.exec(request.nextToken);
        if (!match) throw awsError(Code.InvalidArgument, "ValidationException", "Invalid nextToken");
        offset = Number(match[1]);
      }
      const size = request.maxResults ?? 50;
      return {
        applications: all.slice(offset, offset + size).map(({ app, v }) => create(ApplicationSummarySchema, { ...v.common, id: app.id })),
        nextToken: offset + size < all.length ? `o${offset + size}` : "",
      };
    }),
  );

  router.rpc(
    m.updateApplication,
    unary(deps, m.updateApplication, open, (request, call) => {
      const app = apps.get(request.applicationId);
      app.update(call.now, merged(app.config, request));
      return { application: application(app, call.now) };
    }),
  );

  router.rpc(
    m.deleteApplication,
    unary(deps, m.deleteApplication, open, (request, call) => {
      apps.get(request.applicationId).terminate(call.now);
      return {};
    }),
  );

  router.rpc(
    m.startApplication,
    unary(deps, m.startApplication, open, (request, call) => {
      apps.get(request.applicationId).start(call.now);
      return {};
    }),
  );

  router.rpc(
    m.stopApplication,
    unary(deps, m.stopApplication, open, (request, call) => {
      const app = apps.get(request.applicationId);
      const active = env.activeRuns(app.id, call.now);
      if (active > 0 && app.at(call.now).state !== "STOPPED") {
        throw awsError(Code.InvalidArgument, "ValidationException", `Application ${app.id} has ${active} job runs that are not finished; cancel them before stopping it`);
      }
      app.stop(call.now);
      return {};
    }),
  );
}
