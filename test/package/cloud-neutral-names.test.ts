/**
 * Issue 23 §2: the cloud-neutral code and the other clouds' protos carry no
 * Yandex names. A Yandex name creeping back (an import of
 * yandex/cloud/validation.proto, a Yandex class in a core doc comment) fails
 * here with the file and line, not in review.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const neutralDirs = ["proto/aws", "proto/huawei", "gen/aws", "gen/huawei", "src/aws", "src/huawei", "src/core", "src/rest"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("cloud-neutral code", () => {
  it.each(neutralDirs)("%s mentions no Yandex name", (dir) => {
    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThan(0);
    const hits = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (/yandex/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});
