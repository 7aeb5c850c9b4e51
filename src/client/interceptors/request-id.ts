import { randomUUID } from "../../util/uuid.js";
import type { Interceptor } from "@connectrpc/connect";
import { CLIENT_REQUEST_ID } from "./headers.js";

/** A fresh `x-client-request-id` for every attempt (inside the retry loop). */
export const requestIdInterceptor: Interceptor = (next) => (req) => {
  req.header.set(CLIENT_REQUEST_ID, randomUUID());
  return next(req);
};
