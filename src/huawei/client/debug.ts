import { ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { attemptKey } from "./retry.js";

/**
 * One line per attempt for `debug` / `DATAPROC_CONNECT_DEBUG=1`: method,
 * endpoint, attempt number, outcome code, request id and milliseconds.
 * Never a header value other than the request id, so never a signature,
 * key or token.
 *
 * @example
 * ```text
 * dataproc-connect huawei.mrs.v2.JobExecutionService/ShowSingleJobExe https://mrs.cn-north-4.myhuaweicloud.com attempt 1 OK request-id=5f0c… 41ms
 * ```
 */
export function debugInterceptor(endpoint: string, write: (line: string) => void, now: () => number): Interceptor {
  return (next) => async (req) => {
    const started = now();
    const line = (code: string, requestId: string | null): void =>
      write(
        `dataproc-connect ${req.method.parent.typeName}/${req.method.name} ${endpoint} attempt ${req.contextValues.get(attemptKey)} ${code}` +
          `${requestId ? ` request-id=${requestId}` : ""} ${Math.round(now() - started)}ms`,
      );
    try {
      const response = await next(req);
      line("OK", response.header.get("x-request-id"));
      return response;
    } catch (error) {
      const connect = ConnectError.from(error);
      line(codeName(connect.code), connect.metadata.get("x-request-id"));
      throw error;
    }
  };
}

function codeName(code: number): string {
  const names = ["OK", "CANCELED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"];
  return names[code] ?? `CODE_${code}`;
}
