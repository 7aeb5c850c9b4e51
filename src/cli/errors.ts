/**
 * Turns a library error into what the CLI prints and its exit code (see
 * failure.ts for the shapes and exit.ts for the policy).
 *
 * - Exit 2 (usage or input error, nothing sent): a request the client's own
 *   validation refused, credentials that cannot be built (a bad key file, no
 *   credentials in the environment) — raised before any call.
 * - Exit 1, everything else: remote errors, including a server's
 *   INVALID_ARGUMENT (e.g. a bad `--filter`: the request was sent, the
 *   server refused it) and credentials that failed while being exchanged.
 *
 * Remote errors print the library's message, which carries the ids support
 * asks for (`method …, request-id …, server-trace-id …`) and never a
 * credential. A TLS handshake answered in plaintext (OpenSSL's "wrong
 * version number") is explained: it is an `https://` endpoint for a
 * plaintext server such as the emulator.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { CloudError, CredentialsError, YandexCloudError } from "../index.js";
import { ExitCode } from "./exit.js";
import { codeName, failure, oneLine } from "./failure.js";
import type { Failure } from "./failure.js";
import { isConnectError } from "../core/connect-error.js";

export function describeError(error: unknown, endpoint?: string): Failure {
  if (isTlsToPlaintext(error)) {
    const where = endpoint ?? "the endpoint";
    const plain = endpoint?.replace(/^https:/i, "http:");
    return failure(
      ExitCode.failed,
      "UNAVAILABLE",
      `${where} does not speak TLS (a plaintext server answered the TLS handshake)` +
        (plain === undefined || plain === endpoint ? "" : `: for a plaintext server such as the emulator, write ${plain}`),
    );
  }
  if (error instanceof YandexCloudError && error.code === Code.InvalidArgument && error.violations.length > 0) {
    return failure(
      ExitCode.usage,
      "INVALID_ARGUMENT",
      `invalid request (not sent): ${error.violations.map((v) => v.message).join("; ")}`,
      {
        method: error.method,
        violations: error.violations.map((v) => ({ path: v.path, rule: v.rule, message: v.message })),
      },
    );
  }
  const credentials = findCredentialsError(error);
  if (credentials !== undefined && !(isConnectError(error))) {
    return failure(ExitCode.usage, "UNAUTHENTICATED", `credentials: ${oneLine(credentials.message)}`);
  }
  if (error instanceof YandexCloudError) {
    return failure(ExitCode.failed, codeName(error.code), oneLine(error.message), {
      method: error.method,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.serverTraceId === undefined ? {} : { serverTraceId: error.serverTraceId }),
      ...(error.clientTraceId === undefined ? {} : { clientTraceId: error.clientTraceId }),
    });
  }
  if (error instanceof CloudError) {
    // AWS and Huawei: their ids (x-amzn-RequestId, X-Request-Id) and the provider's own error name.
    const provider = error as CloudError & { awsErrorType?: unknown; errorCode?: unknown };
    const ids = Object.fromEntries(Object.entries(error.ids).filter(([, v]) => v !== undefined && v !== ""));
    return failure(ExitCode.failed, codeName(error.code), oneLine(error.message), {
      method: error.method,
      ...ids,
      ...(typeof provider.awsErrorType === "string" && provider.awsErrorType !== "" ? { awsErrorType: provider.awsErrorType } : {}),
      ...(typeof provider.errorCode === "string" && provider.errorCode !== "" ? { errorCode: provider.errorCode } : {}),
    });
  }
  if (isConnectError(error)) return failure(ExitCode.failed, codeName(error.code), oneLine(error.message));
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return failure(ExitCode.failed, "UNKNOWN", oneLine(text));
}

/** A CredentialsError itself, or the one a call failed with (the client wraps it). */
function findCredentialsError(error: unknown): CredentialsError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof CredentialsError) return e;
  }
  return undefined;
}

/** OpenSSL's answer when a TLS client hello meets a plaintext HTTP/2 server. */
function isTlsToPlaintext(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/i.test(e.message)) return true;
  }
  return false;
}
