import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescField, DescMessage, Message } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { huawei_project_id } from "../../gen/dataproc_connect/v1/rest_pb.js";
import { markFailure } from "../core/failure.js";
import { withFields } from "../core/with-fields.js";

const cache = new WeakMap<DescMessage, readonly DescField[]>();

/** The request fields marked `[(dataproc_connect.v1.huawei_project_id) = true]`. */
export function projectIdFields(schema: DescMessage): readonly DescField[] {
  let fields = cache.get(schema);
  if (!fields) {
    fields = schema.fields.filter((f) => f.fieldKind === "scalar" && hasOption(f, huawei_project_id) && getOption(f, huawei_project_id));
    cache.set(schema, fields);
  }
  return fields;
}

/**
 * Fills every empty project-id path field (found from the descriptor option,
 * so every Huawei service added later gets it) with the client's project id,
 * so callers write `cancelJobExecution({ jobExecutionId })`. A request that
 * needs one when the client has none fails before any network call,
 * naming the field.
 *
 * @example
 * ```ts
 * createRestTransport({ …, interceptors: [projectIdInterceptor("0123…cdef")] });
 * ```
 */
export function projectIdInterceptor(projectId: string | undefined): Interceptor {
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const fields = projectIdFields(req.method.input);
    if (fields.length === 0) return next(req);
    const message = req.message as Message & Record<string, unknown>;
    const empty = fields.filter((f) => message[f.localName] === "");
    if (empty.length === 0) return next(req);
    if (!projectId) {
      throw markFailure(
        new ConnectError(
          `${req.method.input.typeName}.${empty[0]!.name}: required; pass projectId to createHuaweiCloud or set HUAWEICLOUD_SDK_PROJECT_ID`,
          Code.InvalidArgument,
        ),
        { origin: "local" },
      );
    }
    return next({ ...req, message: withFields(req.message, Object.fromEntries(empty.map((f) => [f.localName, projectId]))) });
  };
}
