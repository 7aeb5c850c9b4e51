import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { aws_signing_name } from "../../gen/dataproc_connect/v1/rest_pb.js";

/** The SigV4 signing name of an AWS service, from `(dataproc_connect.v1.aws_signing_name)`. */
export function signingNameOf(service: DescService): string {
  if (!hasOption(service, aws_signing_name)) {
    throw new TypeError(`${service.typeName} is not an AWS service: it has no (dataproc_connect.v1.aws_signing_name) option`);
  }
  return getOption(service, aws_signing_name);
}

/** `https://<signing name>.<region>.amazonaws.com` (the `aws` partition; China and GovCloud need `endpoint`). */
export function defaultAwsEndpoint(service: DescService, region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://${signingNameOf(service)}.${region}.${suffix}`;
}
