import type { KeyObject } from "node:crypto";
import { display } from "../../util/display.js";
import { CredentialsError } from "./errors.js";
import { cachedCredentials } from "./cached-credentials.js";
import type { RefreshPolicy } from "./token-cache.js";
import type { Credentials } from "./types.js";
import { nodeBuiltin } from "../../util/node-builtin.js";

/**
 * The authorized key file of a service account, as `yc iam key create`
 * writes it. Only `id`, `service_account_id` and `private_key` are needed.
 */
export interface ServiceAccountKeyFile {
  readonly id: string;
  readonly service_account_id: string;
  readonly private_key: string;
  readonly key_algorithm?: string;
  readonly created_at?: string;
  readonly public_key?: string;
}

/** The audience every IAM token JWT must name. */
export const iamTokenAudience = "https://iam.api.cloud.yandex.net/iam/v1/tokens";


/** Lifetime of each signed JWT; the API accepts at most one hour. */
const jwtLifetimeSeconds = 3600;

/** The line Yandex Cloud puts before the PEM block in `private_key`. */
const keyIdLine = /^PLEASE DO NOT REMOVE THIS LINE! Yandex\.Cloud SA Key ID (\S+)\s*$/;

/**
 * Signs in as a service account with its authorized key: each refresh signs a
 * PS256 JWT (RSASSA-PSS, SHA-256, salt length 32; header `kid` = key id; `iss`
 * = service account id; `aud` = the IAM token endpoint; one-hour lifetime)
 * and exchanges it through `IamTokenService.Create{jwt}`.
 *
 * The file is read and checked at once, so a bad file fails here with an error
 * that names the problem, never on the first call and never with key material
 * in the message.
 *
 * @example
 * ```ts
 * const cloud = createYandexCloud({ credentials: serviceAccountKey("./authorized_key.json") });
 * ```
 */
export function serviceAccountKey(source: string | ServiceAccountKeyFile, policy?: Partial<RefreshPolicy>): Credentials {
  const file = typeof source === "string" ? readKeyFile(source) : source;
  const where = typeof source === "string" ? `key file ${display(source)}` : "key object";
  const key = checkKey(file, where);

  const signJwt = async (nowMs: number): Promise<string> => {
    const { SignJWT } = await import("jose");
    const iat = Math.floor(nowMs / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "PS256", typ: "JWT", kid: key.keyId })
      .setIssuer(key.serviceAccountId)
      .setAudience(iamTokenAudience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + jwtLifetimeSeconds)
      .sign(key.privateKey);
  };

  const summary = { kind: "service account key", keyId: key.keyId, serviceAccountId: key.serviceAccountId };
  return cachedCredentials("service account key", summary, policy, async (context, signal) =>
    context.exchange({ case: "jwt", value: await signJwt(context.clock.now()) }, signal),
  );
}

function readKeyFile(path: string): ServiceAccountKeyFile {
  let text: string;
  try {
    text = nodeBuiltin<typeof import("node:fs")>("node:fs", "serviceAccountKey(path)").readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CredentialsError(`serviceAccountKey: cannot read key file ${display(path)} (${code})`);
  }
  try {
    return JSON.parse(text) as ServiceAccountKeyFile;
  } catch {
    // The parser's own message quotes the text around the error: key material.
    throw new CredentialsError(`serviceAccountKey: key file ${display(path)} is not valid JSON`);
  }
}

interface CheckedKey {
  readonly keyId: string;
  readonly serviceAccountId: string;
  readonly privateKey: KeyObject;
}

function checkKey(file: ServiceAccountKeyFile, where: string): CheckedKey {
  if (typeof file !== "object" || file === null || Array.isArray(file)) {
    throw new CredentialsError(`serviceAccountKey: ${where} is not a JSON object`);
  }
  for (const field of ["id", "service_account_id", "private_key"] as const) {
    if (typeof file[field] !== "string" || file[field].trim() === "") {
      throw new CredentialsError(`serviceAccountKey: ${where} has no "${field}" string`);
    }
  }
  if (file.key_algorithm !== undefined && !/^RSA_\d+$/.test(String(file.key_algorithm))) {
    throw new CredentialsError(
      `serviceAccountKey: ${where} has key_algorithm ${JSON.stringify(String(file.key_algorithm).slice(0, 32))}; only RSA keys (RSA_2048, RSA_4096) can sign PS256`,
    );
  }
  const pem = stripKeyIdLine(file.private_key, file.id, where);
  let privateKey: KeyObject;
  try {
    privateKey = nodeBuiltin<typeof import("node:crypto")>("node:crypto", "serviceAccountKey").createPrivateKey(pem);
  } catch {
    throw new CredentialsError(`serviceAccountKey: ${where} has a private_key that is not a valid PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== "rsa" && privateKey.asymmetricKeyType !== "rsa-pss") {
    throw new CredentialsError(
      `serviceAccountKey: ${where} has a ${privateKey.asymmetricKeyType ?? "non-RSA"} private_key; PS256 needs an RSA key`,
    );
  }
  return { keyId: file.id, serviceAccountId: file.service_account_id, privateKey };
}

function stripKeyIdLine(privateKey: string, keyId: string, where: string): string {
  const text = privateKey.trimStart();
  if (text.startsWith("-----BEGIN")) return text;
  const newline = text.indexOf("\n");
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const match = keyIdLine.exec(firstLine);
  if (!match) {
    throw new CredentialsError(
      `serviceAccountKey: ${where} has a private_key that starts with neither a PEM header nor the line "PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <id>"`,
    );
  }
  if (match[1] !== keyId) {
    throw new CredentialsError(
      `serviceAccountKey: ${where} has a private_key marked for key ${display(match[1]!)}, but its id is ${display(keyId)}`,
    );
  }
  return text.slice(newline + 1);
}
