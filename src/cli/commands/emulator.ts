/**
 * `emulator`: runs the embedded emulator (see dataproc-connect/testing) on a
 * real port until SIGINT/SIGTERM, then exits 0. It prints, one per line,
 * exactly: its URL, a ready IAM token, its cluster ids, (with `--key-file`)
 * where it wrote a trusted service-account key, and `rest: <url>`, the base
 * URL of its REST/JSON face (HTTP/1.1), then the AWS test keys
 * (`aws: <accessKeyId> <secretAccessKey> <region>`), `aws application: <id>`
 * and the Huawei test identity (`huawei: <accessKey> <secretKey> <projectId>`),
 * so scripts can read the first lines.
 * Then ready-to-paste `export` lines that point a program or the job
 * commands of every cloud at it:
 *
 * ```sh
 * export YC_ENDPOINT=http://127.0.0.1:50051
 * export YC_IAM_TOKEN=t1.…
 * export YC_REST_ENDPOINT=http://127.0.0.1:50052       # --transport rest
 * export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… AWS_REGION=… AWS_ENDPOINT_URL=http://127.0.0.1:50052
 * export HUAWEICLOUD_SDK_AK=… HUAWEICLOUD_SDK_SK=… HUAWEICLOUD_SDK_PROJECT_ID=… HUAWEICLOUD_MRS_ENDPOINT=http://127.0.0.1:50052
 * ```
 *
 * `--rest-port` fixes the REST face's port (default: any free port).
 *
 * Bound to a non-loopback address (`--host 0.0.0.0`), it is reached over
 * plaintext HTTP/2 from other machines, which the client refuses unless the
 * host is named in `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`: the export
 * lines then use this machine's name and add that variable, and a warning
 * goes to stderr.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { startEmulator } from "../../testing/index.js";
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";

export async function run({ io, flags }: CommandContext): Promise<number> {
  const port = flags.string("port") === undefined ? 0 : Number(flags.string("port"));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError("emulator: --port must be an integer from 0 to 65535");
  }
  const pollText = flags.string("poll-interval");
  const pollIntervalSeconds = pollText === undefined ? 1 : Number(pollText);
  if (!(pollIntervalSeconds >= 0)) {
    throw new UsageError("emulator: --poll-interval must be a non-negative number of seconds");
  }
  const compression = flags.string("compression") ?? "gzip";
  if (compression !== "gzip" && compression !== "none") {
    throw new UsageError("emulator: --compression must be gzip or none");
  }
  const restText = flags.string("rest-port");
  const restPort = restText === undefined ? 0 : Number(restText);
  if (!/^\d+$/.test(restText ?? "0") || restPort > 65535) {
    throw new UsageError("emulator: --rest-port must be an integer from 0 to 65535");
  }
  const clusters = flags.strings("cluster");
  const keyFile = flags.string("key-file");
  const line = (text: string): void => void io.stdout.write(`${text}\n`);

  const emulator = await startEmulator({
    port,
    restPort,
    host: flags.string("host") ?? "127.0.0.1",
    ...(clusters.length === 0 ? {} : { clusters }),
    oauthTokens: flags.strings("oauth-token"),
    pollIntervalSeconds,
    compression,
  });
  try {
    if (keyFile !== undefined) {
      const key = await emulator.createServiceAccountKey();
      await writeFile(keyFile, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
    }
    line(`dataproc-connect emulator listening on ${emulator.url}`);
    line(`IAM token: ${emulator.iamToken}`);
    line(`clusters: ${emulator.clusters.join(",")}`);
    if (keyFile !== undefined) line(`key file: ${keyFile}`);
    line(`rest: ${emulator.restUrl}`);
    if (emulator.restUrl !== "") {
      // The emulator's own throwaway test keys, printed so scripts can sign with them.
      const aws = emulator.aws;
      line(`aws: ${aws.accessKeyId} ${aws.secretAccessKey} ${aws.region}`);
      line(`aws application: ${aws.applicationId}`);
    }
    // Test AK/SK of the Huawei MRS face on the REST URL (not real secrets).
    if (emulator.restUrl !== "") line(`huawei: ${emulator.huawei.accessKey} ${emulator.huawei.secretKey} ${emulator.huawei.projectId}`);
    const host = flags.string("host") ?? "127.0.0.1";
    // 0.0.0.0 / :: are not addresses to connect to: name this machine instead.
    const reachable = isLoopback(host) ? undefined : host === "0.0.0.0" || host === "::" ? hostname() : host;
    const reach = (url: string): string => (reachable === undefined || url === "" ? url : `http://${hostPort(reachable, Number(new URL(url).port))}`);
    const grpcUrl = reach(emulator.url);
    const restUrl = reach(emulator.restUrl);
    line(`export YC_ENDPOINT=${grpcUrl}`);
    if (reachable !== undefined) {
      const hosts = [hostPort(reachable, emulator.port), ...(restUrl === "" ? [] : [new URL(restUrl).host])];
      line(`export DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS=${hosts.join(",")}`);
      io.stderr.write(
        `warning: the emulator serves plaintext HTTP/2 on ${host} (no TLS): anyone on the network can read its tokens. ` +
          `Clients on other machines must allow it with DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS=${hosts.join(",")}\n`,
      );
    }
    line(`export YC_IAM_TOKEN=${emulator.iamToken}`);
    if (restUrl !== "") {
      // Every face, ready to paste: Yandex REST (--transport rest), AWS EMR
      // Serverless (the AWS SDKs' own variables) and Huawei MRS (the Huawei
      // SDKs' keys; the endpoint variable is this CLI's). Test keys, not secrets.
      line(`export YC_REST_ENDPOINT=${restUrl}`);
      line(`export AWS_ACCESS_KEY_ID=${emulator.aws.accessKeyId}`);
      line(`export AWS_SECRET_ACCESS_KEY=${emulator.aws.secretAccessKey}`);
      line(`export AWS_REGION=${emulator.aws.region}`);
      line(`export AWS_ENDPOINT_URL=${restUrl}`);
      line(`export HUAWEICLOUD_SDK_AK=${emulator.huawei.accessKey}`);
      line(`export HUAWEICLOUD_SDK_SK=${emulator.huawei.secretKey}`);
      line(`export HUAWEICLOUD_SDK_PROJECT_ID=${emulator.huawei.projectId}`);
      line(`export HUAWEICLOUD_MRS_ENDPOINT=${restUrl}`);
    }
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) => io.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
    return ExitCode.ok;
  } finally {
    await emulator.close();
  }
}

/** `host:port`, with brackets around an IPv6 address. */
function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** 127.0.0.0/8, ::1 and localhost: where the client allows plaintext anyway. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
