export { huaweiCredentials } from "./static.js";
export type { StaticHuaweiCredentialsInit } from "./static.js";
export { huaweiEnvironmentCredentials, huaweiEnv } from "./environment.js";
export { huaweiMetadataCredentials } from "./metadata.js";
export type { HuaweiMetadataOptions } from "./metadata.js";
export { HuaweiAccessKey } from "./types.js";
export type { HuaweiCredentials } from "./types.js";
export { HuaweiCredentialsError } from "./errors.js";
