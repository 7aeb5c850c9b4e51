import type { HuaweiEmulatorIdentity } from "./face.js";

/**
 * A fresh test identity: a 20-character access key, a 40-character secret
 * key and a 32-hex-digit project id (the shapes Huawei uses), in region
 * `cn-north-4`. Random per emulator, so no test can depend on another's.
 */
export function newHuaweiIdentity(region = "cn-north-4"): HuaweiEmulatorIdentity {
  return {
    accessKey: `EMU${random(17, upper)}`,
    secretKey: random(40, alnum),
    projectId: random(32, "0123456789abcdef"),
    region,
  };
}

const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function random(length: number, alphabet: string): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
