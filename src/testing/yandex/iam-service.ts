import type { ConnectRouter } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { IamTokenService } from "../../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import type { Authority, IssuedToken } from "./auth.js";
import { unary } from "../pipeline.js";
import type { PipelineDeps } from "../pipeline.js";

/**
 * `yandex.cloud.iam.v1.IamTokenService`: the one method callable without a
 * token. Exchanges a configured OAuth token or a JWT signed with a trusted
 * service-account key for an IAM token.
 */
export function registerIamTokenService(router: ConnectRouter, deps: PipelineDeps, authority: Authority): void {
  const method = IamTokenService.method.create;
  router.rpc(
    method,
    unary(deps, method, { public: true }, async (request) => {
      let issued: IssuedToken;
      switch (request.identity.case) {
        case "yandexPassportOauthToken":
          issued = authority.exchangeOAuth(request.identity.value);
          break;
        case "jwt":
          issued = await authority.exchangeJwt(request.identity.value);
          break;
        default:
          // Unreachable after validation (identity is exactly_one).
          throw new Error("identity not set");
      }
      return { iamToken: issued.token, expiresAt: timestampFromMs(issued.expiresAt) };
    }),
  );
}
