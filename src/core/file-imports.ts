import type { DescFile } from "@bufbuild/protobuf";

/**
 * `file` and every file it imports, transitively, each once. protobuf-es's
 * `createRegistry(file)` takes only the file itself; this is the list to
 * spread into it when names from the imports must resolve too.
 *
 * @example
 * ```ts
 * createRegistry(...withImports(EmrServerless.file)); // finds aws.emr_serverless.v1.JobRun too
 * ```
 * @internal
 */
export function withImports(file: DescFile): DescFile[] {
  const files = new Set<DescFile>();
  const visit = (f: DescFile): void => {
    if (files.has(f)) return;
    files.add(f);
    f.dependencies.forEach(visit);
  };
  visit(file);
  return [...files];
}
