// The unary benchmark's contenders, each built as its users would write it.
// Imported by the process that runs it (unary-client.mjs, per-call-counts.mjs);
// only the modules the chosen contender needs are loaded.
/** `call()`, a `() => Promise` making one JobService.Get as `contender` does, and `close()`. */
export async function makeContender(contender, { url, iamToken, ref }) {
  switch (contender) {
    case "ours":
      // What a user writes: the factory with its defaults (validation,
      // retries, default deadline, ids, auth), through the public entry points.
      return ours({ url, iamToken, ref }, {});
    case "bare":
      // ours with validation, retries and the default deadline off: what the
      // options cost, beside what the rest of our layer costs.
      return ours({ url, iamToken, ref }, { validate: false, retry: false, timeoutMs: 0 });
    case "raw":
    case "raw2": {
      // The floor: Connect with the same generated descriptors, no
      // interceptors, the token as a per-call header. raw2 is an identical
      // twin, so the run shows how much two equal clients differ.
      const { createClient } = await import("@connectrpc/connect");
      const { Http2SessionManager, createGrpcTransport } = await import("@connectrpc/connect-node");
      const { JobService } = await import("dataproc-connect/dataproc/v1");
      const sessionManager = new Http2SessionManager(url);
      const jobs = createClient(JobService, createGrpcTransport({ baseUrl: url, sessionManager }));
      const headers = { authorization: `Bearer ${iamToken}` };
      return { call: () => jobs.get(ref, { headers }), close: () => sessionManager.abort() };
    }
    case "sdk": {
      const { jobService, plaintextSession } = await import("./sdk.mjs");
      const session = plaintextSession(url, iamToken);
      const jobs = session.client(jobService.JobServiceClient);
      const request = jobService.GetJobRequest.fromPartial(ref);
      return { call: () => jobs.get(request), close: () => session.closeAll() };
    }
    default:
      throw new Error(`unknown contender ${contender}`);
  }
}

/** Our client for `createYandexCloud` options `options`, from the public entry points. */
async function ours({ url, iamToken, ref }, options) {
  const { createYandexCloud, iamToken: token } = await import("dataproc-connect");
  const { JobService } = await import("dataproc-connect/dataproc/v1");
  const cloud = createYandexCloud({ endpoint: url, credentials: token(iamToken), ...options });
  const jobs = cloud.client(JobService);
  return { call: () => jobs.get(ref), close: () => cloud.close() };
}
