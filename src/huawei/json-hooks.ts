import { hasOption, getOption } from "@bufbuild/protobuf";
import type { DescField, JsonValue } from "@bufbuild/protobuf";
import { huawei_json_number } from "../../gen/dataproc_connect/v1/rest_pb.js";
import type { JsonFieldHook } from "../rest/json-codec.js";

/**
 * Huawei's JSON differs from protobuf JSON in one way the field types cannot
 * say: int64 values (epoch-millisecond times, durations) are JSON numbers,
 * where protobuf JSON writes strings. Fields marked
 * `[(dataproc_connect.v1.huawei_json_number) = true]` are written as numbers
 * in bodies; query and path values are text either way, and reading accepts
 * both forms already.
 *
 * @example
 * ```ts
 * createRestTransport({ baseUrl, registry, jsonHooks: [huaweiJsonNumbers] });
 * ```
 */
export const huaweiJsonNumbers: JsonFieldHook = {
  write(field, value, where) {
    if (where !== "body" || !isJsonNumberField(field)) return value;
    return Array.isArray(value) ? value.map(toNumber) : toNumber(value);
  },
};

/** Whether a field carries the `huawei_json_number` option. */
export function isJsonNumberField(field: DescField): boolean {
  return hasOption(field, huawei_json_number) && getOption(field, huawei_json_number);
}

function toNumber(value: JsonValue): JsonValue {
  // Epoch milliseconds stay far below 2^53, where a double is exact.
  return typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
}
