import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { CloudCredentialsError, CredentialsError, iamToken, oauthToken } from "../../src/index.js";
import { AwsCredentialsError, awsCredentials, chainAwsCredentials, fromAwsEnvironment } from "../../src/aws/index.js";
import type { AwsCredentialProvider } from "../../src/aws/index.js";
import { HuaweiAccessKey, HuaweiCredentialsError, huaweiCredentials, huaweiEnvironmentCredentials } from "../../src/huawei/index.js";
import { firstAvailable } from "../../src/core/credential-chain.js";
import { redacted } from "../../src/core/redact.js";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { forgetRejectedCredentials, reactToRejection } from "../../src/core/credential-rejection.js";
import { failureOf } from "../../src/core/failure.js";
import { AwsError } from "../../src/aws/errors.js";
import { awsRejectionRule } from "../../src/aws/credentials/rejection.js";
import { HuaweiCloudError } from "../../src/huawei/errors/huawei-cloud-error.js";
import { huaweiKeyInUse, huaweiRejectionRule } from "../../src/huawei/credentials/rejection.js";

const SECRET = "s3cr3t-never-shown";

/** Everything a log line or a debugger could print of `value`. */
const shown = (value: unknown): string => `${inspect(value, { depth: 10, showHidden: true })} ${JSON.stringify(value)} ${String(value)}`;

describe("one credentials error base", () => {
  it("every cloud's credentials error is a CloudCredentialsError, keeps its name and says whether a chain may go on", async () => {
    const yandex = (() => {
      try {
        oauthToken(" ");
      } catch (error) {
        return error;
      }
    })();
    const aws = await fromAwsEnvironment({ env: {} }).resolve().catch((e: unknown) => e);
    const huawei = (() => {
      try {
        huaweiEnvironmentCredentials({});
      } catch (error) {
        return error;
      }
    })();
    for (const [error, type, name, tryNext] of [
      [yandex, CredentialsError, "CredentialsError", false],
      [aws, AwsCredentialsError, "AwsCredentialsError", true],
      [huawei, HuaweiCredentialsError, "HuaweiCredentialsError", false],
    ] as const) {
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(CloudCredentialsError);
      expect((error as CloudCredentialsError).name).toBe(name);
      expect((error as CloudCredentialsError).tryNext).toBe(tryNext);
    }
    expect(new CredentialsError("x", { cause: yandex }).cause).toBe(yandex);
  });
});

describe("one chain", () => {
  const failing = (message: string, tryNext: boolean) => () => Promise.reject(new CloudCredentialsError(message, { tryNext }));

  it("goes past sources that are not configured, and lists them when none is", async () => {
    const none = (tried: readonly string[]) => new Error(`none: ${tried.join("; ")}`);
    await expect(firstAvailable([failing("a unset", true), () => Promise.resolve("b")], (ask) => ask(), undefined, none)).resolves.toBe("b");
    await expect(firstAvailable([failing("a unset", true), failing("b unset", true)], (ask) => ask(), undefined, none)).rejects.toThrow(
      "none: a unset; b unset",
    );
  });

  it("stops at a configured but broken source, and once nobody waits", async () => {
    const none = () => new Error("none");
    const later = () => Promise.resolve("later");
    await expect(firstAvailable([failing("a broken", false), later], (ask) => ask(), undefined, none)).rejects.toThrow("a broken");
    await expect(firstAvailable([failing("a unset", true), later], (ask) => ask(), AbortSignal.abort(), none)).rejects.toThrow("a unset");
  });

  it("an AWS chain goes past a provider that throws another cloud's not-configured error", async () => {
    const foreign: AwsCredentialProvider = { kind: "foreign", resolve: () => Promise.reject(new CloudCredentialsError("foreign: unset", { tryNext: true })) };
    const chain = chainAwsCredentials(foreign, awsCredentials({ accessKeyId: "AKIDCHAIN", secretAccessKey: SECRET }));
    expect((await chain.resolve()).accessKeyId).toBe("AKIDCHAIN");
  });
});

describe("one redaction helper", () => {
  it("credentials, keys and identities of every cloud show a summary, never a secret", async () => {
    const values: unknown[] = [
      iamToken(SECRET),
      oauthToken(SECRET),
      awsCredentials({ accessKeyId: "AKIDSHOWN", secretAccessKey: SECRET, sessionToken: SECRET }),
      await awsCredentials({ accessKeyId: "AKIDSHOWN", secretAccessKey: SECRET, sessionToken: SECRET }).resolve(),
      huaweiCredentials({ accessKey: "QTWAEXAMPLE", secretKey: SECRET, securityToken: SECRET }),
      new HuaweiAccessKey("QTWAEXAMPLE", SECRET, SECRET),
    ];
    for (const value of values) expect(shown(value)).not.toContain(SECRET);
    expect(shown(values[3])).toContain("AwsCredentials(AKIDSHOWN)");
    expect(inspect(values[5])).toBe('HuaweiAccessKey {"accessKey":"QTWA…","securityToken":"<redacted>","secretKey":"<redacted>"}');
  });

  it("labels with the class name, a given label, or nothing for a plain object", () => {
    class Holder {
      readonly #secret = SECRET;
      peek(): string {
        return this.#secret;
      }
    }
    expect(inspect(redacted(new Holder(), { kind: "holder" }))).toBe('Holder {"kind":"holder"}');
    expect(inspect(redacted({ secret: SECRET }, { kind: "plain" }))).toBe('{"kind":"plain"}');
    const labelled = redacted({ secret: SECRET }, { kind: "x" }, { label: "Thing", text: "Thing(x)" });
    expect(inspect(labelled)).toBe('Thing {"kind":"x"}');
    expect(JSON.stringify(labelled)).toBe('{"kind":"x"}');
    expect(String(labelled)).toBe("Thing(x)");
  });
});

describe("one reaction to an authentication failure", () => {
  /** A provider counting its lookups, handing out key-1, key-2, …, cached until invalidated. */
  const counting = (): AwsCredentialProvider & { readonly lookups: number } => {
    let lookups = 0;
    let current: string | undefined;
    return {
      kind: "counting",
      get lookups() {
        return lookups;
      },
      resolve: async () => ({ accessKeyId: (current ??= `key-${++lookups}`), secretAccessKey: SECRET }),
      invalidate: () => void (current = undefined),
    };
  };
  const awsError = (awsErrorType: string) =>
    new AwsError({ code: Code.Unauthenticated, awsErrorType, awsMessage: "no", httpStatus: 403, requestId: undefined, method: "EmrServerless.GetJobRun" });
  const request = { signal: new AbortController().signal } as Parameters<ReturnType<Interceptor>>[0];

  it("AWS: keys the service calls expired are forgotten, other errors leave them cached", async () => {
    const provider = counting();
    let answer: Error = awsError("ValidationException");
    const call = forgetRejectedCredentials(awsRejectionRule(provider))(() => Promise.reject(answer));
    await provider.resolve();
    await expect(call(request)).rejects.toBe(answer);
    expect((await provider.resolve()).accessKeyId).toBe("key-1");
    answer = awsError("ExpiredTokenException");
    await expect(call(request)).rejects.toBe(answer); // the error still reaches the caller (and the retry layer)
    expect((await provider.resolve()).accessKeyId).toBe("key-2");
  });

  it("Huawei: only the key the attempt was signed with is forgotten, on the gateway's key codes", async () => {
    let current: HuaweiAccessKey | undefined;
    let n = 0;
    const credentials = {
      kind: "rotating",
      accessKey: async () => (current ??= new HuaweiAccessKey(`AK${++n}`, SECRET)),
      invalidate: (key: HuaweiAccessKey) => void (current === key && (current = undefined)),
    };
    const rejected = new HuaweiCloudError("signature expired", Code.Unauthenticated, { errorCode: "APIGW.0303", httpStatus: 401 });
    const call = forgetRejectedCredentials(huaweiRejectionRule(credentials), huaweiKeyInUse(credentials, new AbortController().signal))(() =>
      Promise.reject(rejected),
    );
    await expect(call(request)).rejects.toBe(rejected);
    expect((await credentials.accessKey()).accessKey).toBe("AK2");
    const other = new HuaweiCloudError("not found", Code.NotFound, { errorCode: "0162", httpStatus: 404 });
    await expect(forgetRejectedCredentials(huaweiRejectionRule(credentials), huaweiKeyInUse(credentials, new AbortController().signal))(() => Promise.reject(other))(request)).rejects.toBe(other);
    expect((await credentials.accessKey()).accessKey).toBe("AK2");
  });

  it("Huawei: a source with no keys fails the call as a local UNAUTHENTICATED naming it, never a secret", async () => {
    const credentials = { kind: "ECS metadata", accessKey: () => Promise.reject(new HuaweiCredentialsError("huaweiMetadataCredentials: nobody there")) };
    let sent = false;
    const call = forgetRejectedCredentials(huaweiRejectionRule(credentials), huaweiKeyInUse(credentials, new AbortController().signal))(() => {
      sent = true;
      return Promise.reject(new Error("unreachable"));
    });
    const error = await call(request).catch((e: unknown) => e);
    expect(ConnectError.prototype.isPrototypeOf(error as object)).toBe(true);
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as ConnectError).rawMessage).toBe("no Huawei keys from ECS metadata: huaweiMetadataCredentials: nobody there");
    expect(failureOf(error as ConnectError)?.origin).toBe("local");
    expect(sent).toBe(false);
  });

  it("reactToRejection forgets, then sends again only when the cloud can", async () => {
    const forgotten: string[] = [];
    const rule = { rejected: (e: unknown) => e === "refused", forget: (t: string) => void forgotten.push(t) };
    await expect(reactToRejection(rule, "t1", "refused", () => Promise.resolve("sent again"))).resolves.toBe("sent again");
    await expect(reactToRejection(rule, "t2", "down", () => Promise.resolve("never"))).rejects.toBe("down");
    await expect(reactToRejection(rule, "t3", "refused")).rejects.toBe("refused");
    expect(forgotten).toEqual(["t1", "t3"]);
  });
});
