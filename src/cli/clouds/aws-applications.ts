/**
 * `applications list|get|start|stop --cloud aws`: EMR Serverless
 * `ListApplications` and `GetApplication`, and the library's
 * `startApplication` / `stopApplication`, which wait until the application
 * is STARTED / STOPPED (`stop --cancel-job-runs` cancels its unfinished runs
 * first, like Airflow's `force_stop`). The commands are every cloud's
 * (clusters/run-cluster-command.ts).
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { PagingGuard } from "../../core/paging-guard.js";
import type { AwsCloud } from "../../aws/index.js";
import { localAwsError } from "../../aws/errors.js";
import { ApplicationSchema, ApplicationState, ApplicationSummarySchema, EmrServerless, startApplication, stopApplication } from "../../aws/emr-serverless/index.js";
import type { Application, ApplicationSummary } from "../../aws/emr-serverless/index.js";
import type { CloudClusters } from "../clusters/cloud-clusters.js";
import { clusterState } from "../clusters/cluster-view.js";
import type { ClusterView } from "../clusters/cluster-view.js";

/** The AWS {@link CloudClusters}: EMR Serverless applications. */
export function openAwsApplications(aws: AwsCloud): CloudClusters {
  const emr = aws.client(EmrServerless);
  return {
    cloud: "aws",
    noun: "application",
    idWidth: 16,
    list: async function* (flags, signal) {
      const states = flags.strings("state").map((s) => ApplicationState[s as keyof typeof ApplicationState]);
      const method = "/aws.emr_serverless.v1.EmrServerlessService/ListApplications";
      const guard = new PagingGuard("ListApplications", (message) => localAwsError(Code.Internal, message, { method }));
      let nextToken = "";
      guard.start(nextToken);
      do {
        const page = await emr.listApplications({ states, maxResults: 50, nextToken }, { signal });
        for (const a of page.applications) yield summaryView(a);
        nextToken = page.nextToken;
        if (nextToken !== "") guard.nextPage(nextToken);
      } while (nextToken !== "");
    },
    get: async (id, signal) => applicationView((await emr.getApplication({ applicationId: id }, { signal })).application!),
    start: async (id, _flags, wait) => applicationView(await startApplication(aws, { applicationId: id }, wait)),
    stop: async (id, flags, wait) => applicationView(await stopApplication(aws, { applicationId: id }, { ...wait, cancelJobRuns: flags.boolean("cancel-job-runs") })),
    close: () => aws.close(),
  };
}

const ms = (ts: Timestamp | undefined): number | undefined => (ts === undefined ? undefined : timestampMs(ts));

function view(a: Application | ApplicationSummary, id: string, resource: unknown): ClusterView {
  const status = ApplicationState[a.state] ?? String(a.state);
  return {
    id,
    name: a.name || undefined,
    status,
    state: clusterState(status),
    createdAt: ms(a.createdAt),
    details: [
      ["type", a.type || undefined],
      ["release", a.releaseLabel || undefined],
      ["state details", a.stateDetails || undefined],
      ["arn", a.arn || undefined],
    ],
    resource,
  };
}

const applicationView = (a: Application): ClusterView => view(a, a.applicationId, toJson(ApplicationSchema, a));
const summaryView = (a: ApplicationSummary): ClusterView => view(a, a.id, toJson(ApplicationSummarySchema, a));
