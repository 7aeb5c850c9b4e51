/**
 * The comparison both AWS conformance suites make: one client of the official
 * SDK and one of ours over the same canned answer, their requests compared
 * field by field, and each signature checked by the other side's signer.
 */
import { EMRServerlessClient } from "@aws-sdk/client-emr-serverless";
import { SignatureV4 } from "@smithy/signature-v4";
import { expect } from "vitest";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerless } from "../../src/aws/emr-serverless/index.js";
import { signV4 } from "../../src/aws/sigv4/sign.js";
import { fetchCapture, NodeSha256, sdkCapture } from "./aws-capture.js";
import type { CannedResponse, CapturedRequest } from "./aws-capture.js";

export const NOW = Date.UTC(2026, 11, 1, 12, 34, 56);
export const KEYS = { accessKeyId: "AKIDCONFORMANCE", secretAccessKey: "conformance/secret+key", sessionToken: "session-token-xyz" };
export const REGION = "eu-west-1";
export const APP = "00fabcdefghijk09";
export const RUN = "00fjobrun0000001";

export function clients(answer: () => CannedResponse) {
  const sdkSide = sdkCapture(answer);
  const sdk = new EMRServerlessClient({ region: REGION, credentials: KEYS, requestHandler: sdkSide.requestHandler, maxAttempts: 1 });
  const ourSide = fetchCapture(answer);
  const cloud = createAwsCloud({ region: REGION, credentials: awsCredentials(KEYS), fetch: ourSide.fetch, retry: false, clock: { now: () => NOW } });
  return { sdk, sdkSeen: sdkSide.seen, ours: cloud.client(EmrServerless), oursSeen: ourSide.seen };
}

/** The SDK's own signer (@smithy/signature-v4), run on our request: its Authorization must be ours. */
async function oracleAuthorization(request: CapturedRequest): Promise<string> {
  const [hostname, port] = request.host.split(":");
  const headers: Record<string, string> = { ...request.headers, host: request.host };
  delete headers.authorization;
  const signer = new SignatureV4({ service: "emr-serverless", region: REGION, credentials: KEYS, sha256: NodeSha256 });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of request.query) query[k] = k in query ? [...([] as string[]).concat(query[k]!), v] : v;
  const signed = await signer.sign(
    { method: request.method, protocol: "https:", hostname: hostname!, port: port ? Number(port) : undefined, path: request.path, query, headers, body: request.body || undefined },
    { signingDate: new Date(NOW) },
  );
  return signed.headers.authorization as string;
}

/** Our signer on the SDK's request (with all its amz-sdk-* headers): must give the SDK's Authorization. */
async function ourSignatureOf(request: CapturedRequest): Promise<string> {
  const headers = Object.entries(request.headers).filter(
    ([k]) => !["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].includes(k),
  );
  const search = request.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  const result = await signV4(
    { method: request.method, host: request.host, path: request.path, search, headers, body: request.body || undefined },
    { credentials: KEYS, region: REGION, service: "emr-serverless", date: new Date(NOW) },
  );
  return result.authorization;
}

export async function expectSameRequest(sdkReq: CapturedRequest, ourReq: CapturedRequest): Promise<void> {
  expect(ourReq.method).toBe(sdkReq.method);
  expect(ourReq.host).toBe(sdkReq.host);
  expect(ourReq.path).toBe(sdkReq.path);
  expect(ourReq.query).toEqual(sdkReq.query);
  expect(ourReq.body === "" ? undefined : JSON.parse(ourReq.body)).toEqual(sdkReq.body === "" ? undefined : JSON.parse(sdkReq.body));
  if (sdkReq.body !== "") expect(ourReq.headers["content-type"]).toBe(sdkReq.headers["content-type"]);
  // The payload hash is of the bytes; JSON key order may differ, so it matches when the bytes do.
  const sameBytes = ourReq.body === sdkReq.body;
  for (const name of ["x-amz-date", "x-amz-security-token", ...(sameBytes ? ["x-amz-content-sha256"] : [])]) {
    expect(ourReq.headers[name], name).toBe(sdkReq.headers[name]);
  }
  expect(ourReq.headers.authorization).toBe(await oracleAuthorization(ourReq));
  expect(await ourSignatureOf(sdkReq)).toBe(sdkReq.headers.authorization);
}

export const ok = (body: unknown): (() => CannedResponse) => () => ({ status: 200, body: JSON.stringify(body) });

