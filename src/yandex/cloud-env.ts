import type { YandexCloud } from "./cloud.js";

/**
 * The environment each Yandex cloud was made with (its `env` option, or the
 * runtime's), for helpers that default a field from it (`YC_FOLDER_ID`).
 *
 * Why a WeakMap and not a property of the cloud: the environment holds
 * secrets (`YC_TOKEN`, keys), and a property would hand them to anyone who
 * enumerates the cloud object; this keeps them out of its public shape.
 *
 * @example
 * ```ts
 * const folderId = options.folderId ?? envOf(cloud).YC_FOLDER_ID;
 * ```
 * @internal
 */
const envs = new WeakMap<YandexCloud, Readonly<Record<string, string | undefined>>>();

/** Records the environment `cloud` was made with. @internal */
export function rememberEnv(cloud: YandexCloud, env: Readonly<Record<string, string | undefined>>): void {
  envs.set(cloud, env);
}

/** The environment `cloud` was made with; an empty one for a cloud not made by `createYandexCloud`. @internal */
export function envOf(cloud: YandexCloud): Readonly<Record<string, string | undefined>> {
  return envs.get(cloud) ?? {};
}
