// A Cloudflare module worker as users ship one: it imports the package by
// name (the `workerd` export condition picks the REST-only build), creates a
// Yandex cloud over REST against the emulator's REST face, makes one call and
// answers with JSON. test/rest/runtimes.test.ts bundles it the way wrangler
// does (esbuild, one file) and runs it in workerd without `nodejs_compat`;
// `workerd test` calls test() below, which sends one request through fetch()
// and prints the response on stdout.
//
// Bindings (text): REST_URL, IAM_TOKEN, CLUSTER_ID.
import { createYandexCloud, dataprocJobs, iamToken } from "dataproc-connect";
import { JobService } from "dataproc-connect/dataproc/v1";

export default {
  async fetch(_request, env) {
    const credentials = iamToken(env.IAM_TOKEN);
    const rest = createYandexCloud({ transport: "rest", endpoint: env.REST_URL, credentials });
    // A service left on gRPC (the default): the REST-only build cannot load
    // the gRPC transport, and says so on the first call.
    const grpc = createYandexCloud({ endpoint: env.REST_URL, credentials, retry: false });
    try {
      const operation = await rest.client(JobService).create({
        clusterId: env.CLUSTER_ID,
        name: "worker-job",
        jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://bucket/app.jar" }),
      });
      const grpcError = await grpc
        .client(JobService)
        .get({ clusterId: env.CLUSTER_ID, jobId: operation.decodedMetadata?.jobId ?? "" })
        .then(() => "no error", (error) => String(error?.message));
      return Response.json({
        operationId: operation.id,
        jobId: operation.decodedMetadata?.jobId,
        grpcError,
        // No nodejs_compat: Node's modules do not exist in this worker.
        nodeFs: await import(/* not bundled */ ["node", "fs"].join(":")).then(() => "loaded", () => "absent"),
      });
    } finally {
      rest.close();
      grpc.close();
    }
  },

  async test(_controller, env) {
    const response = await this.fetch(new Request("http://worker/"), env);
    console.log(JSON.stringify({ status: response.status, body: await response.json() }));
  },
};
