// The official SDK (@yandex-cloud/nodejs-sdk 3.2.0: nice-grpc over grpc-js),
// pointed at the plaintext emulator.
//
// `Session.client()` always builds TLS channel credentials combined with a
// per-call metadata generator that adds `authorization: Bearer <token>`
// (dist/session.js, newChannelCredentials). grpc-js refuses call credentials
// on an insecure channel and the emulator speaks h2c only, so the bench
// keeps everything else of the SDK's client stack: the Session itself (its
// token creator and its client factory with the error-metadata, retry and
// deadline middlewares, dist/utils/client-factory.js), the generated
// ts-proto codecs and grpc-js, and only swaps the channel for an insecure one
// plus a middleware that adds the token from `session.tokenCreator()` to every
// call, as the metadata generator does.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The package root resolves to dist/index.js; its own dependencies resolve from there.
const sdkRequire = createRequire(require.resolve("@yandex-cloud/nodejs-sdk"));

export const { Session, waitForOperation } = require("@yandex-cloud/nodejs-sdk");
export const { job, jobService } = require("@yandex-cloud/nodejs-sdk/dataproc-v1");
export const { operationService } = require("@yandex-cloud/nodejs-sdk/operation");
const { createChannel, Metadata } = sdkRequire("nice-grpc");
const { ChannelCredentials } = sdkRequire("@grpc/grpc-js");

/** A Session whose `client()` opens a plaintext channel to `url` (one channel per client, like the SDK). */
export function plaintextSession(url, iamToken, config = {}) {
  const session = new Session({ iamToken, ...config });
  const address = url.replace(/^http:\/\//, "");
  const auth = async function* authMiddleware(call, options) {
    const token = await session.tokenCreator();
    const metadata = Metadata(options.metadata);
    metadata.set("authorization", `Bearer ${token}`);
    return yield* call.next(call.request, { ...options, metadata });
  };
  const factory = session.factory.use(auth);
  const channels = [];
  session.client = (clientClass) => {
    const channel = createChannel(address, ChannelCredentials.createInsecure());
    channels.push(channel);
    return factory.create(clientClass.service, channel);
  };
  session.closeAll = () => channels.forEach((c) => c.close());
  return session;
}
