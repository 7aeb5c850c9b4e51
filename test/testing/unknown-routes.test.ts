// An unknown route on the emulator's REST port is answered in the error shape
// of the provider whose request it looks like (its signature scheme), so a
// client decodes it as its own error: AWS (x-amzn-ErrorType), Huawei
// (error_code / error_msg), Yandex (google.rpc.Status JSON) otherwise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const unknown = (authorization?: string) =>
  fetch(`${emulator.restUrl}/no/such/route`, { headers: authorization ? { authorization } : {} });

describe("unknown REST routes", () => {
  it("answer an AWS-signed request the AWS way", async () => {
    const response = await unknown("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261207/us-east-1/emr-serverless/aws4_request, SignedHeaders=host, Signature=00");
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/no route for GET \/no\/such\/route/) as unknown });
  });

  it("answer a Huawei-signed request the Huawei way", async () => {
    const response = await unknown("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=00");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: expect.any(String) as unknown, error_msg: expect.stringMatching(/no route/) as unknown });
  });

  it("answer anything else as google.rpc.Status (Yandex)", async () => {
    const response = await unknown("Bearer t");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 5, message: expect.stringMatching(/no route/) as unknown });
  });
});
