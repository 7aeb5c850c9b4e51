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
    case "wire": {
      // Raw Connect sending what ours sends (the same request on the wire):
      // a fresh x-client-trace-id and x-client-request-id per call, our
      // user-agent and the 60 s default deadline (grpc-timeout), written by
      // hand as per-call headers and a transport option. ours ÷ wire is what
      // our code costs beyond the bytes our features put on the wire.
      const { readFileSync } = await import("node:fs");
      const { createClient } = await import("@connectrpc/connect");
      const { Http2SessionManager, createGrpcTransport } = await import("@connectrpc/connect-node");
      const { JobService } = await import("dataproc-connect/dataproc/v1");
      const { version } = await import("dataproc-connect");
      // @connectrpc/connect does not export its package.json: read the installed one.
      const connect = JSON.parse(readFileSync(new URL("../../node_modules/@connectrpc/connect/package.json", import.meta.url), "utf8"));
      const userAgent = `dataproc-connect/${version} connect-es/${connect.version}`;
      const sessionManager = new Http2SessionManager(url);
      const jobs = createClient(JobService, createGrpcTransport({ baseUrl: url, sessionManager, defaultTimeoutMs: 60_000 }));
      const authorization = `Bearer ${iamToken}`;
      const call = () =>
        jobs.get(ref, {
          headers: {
            authorization,
            "user-agent": userAgent,
            "x-client-trace-id": crypto.randomUUID(),
            "x-client-request-id": crypto.randomUUID(),
          },
        });
      return { call, close: () => sessionManager.abort() };
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
export async function ours({ url, iamToken, ref }, options) {
  const { createYandexCloud, iamToken: token } = await import("dataproc-connect");
  const { JobService } = await import("dataproc-connect/dataproc/v1");
  const cloud = createYandexCloud({ endpoint: url, credentials: token(iamToken), ...options });
  const jobs = cloud.client(JobService);
  return { call: () => jobs.get(ref), close: () => cloud.close() };
}
