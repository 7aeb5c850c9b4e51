/**
 * `clusters list|get|start|stop` (Yandex, Huawei) and `applications
 * list|get|start|stop` (AWS), written once over {@link CloudClusters}:
 *
 * - `list` prints a table (or one `--json` object per cluster) as pages arrive;
 * - `get` prints a card;
 * - `start` and `stop` wait until the cluster runs (is stopped) with the
 *   library's lifecycle helpers, a progress line on stderr meanwhile, and
 *   print the final status; Ctrl-C stops waiting (exit 130), the change
 *   goes on in the cloud.
 *
 * @example
 * ```ts
 * return runClusterCommand(openHuaweiClusters(huawei), context);
 * ```
 *
 * @module
 */
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import { pollOptions, readLimit } from "../jobs/run-job-command.js";
import type { CloudClusters } from "./cloud-clusters.js";
import { clusterCard, clusterJson, clusterTable } from "./cluster-view.js";

/** Runs `context.command` (`<noun>s list|get|start|stop`) on `clusters`' cloud, then closes it. */
export async function runClusterCommand(clusters: CloudClusters, context: CommandContext): Promise<number> {
  try {
    return await dispatch(clusters, context);
  } finally {
    clusters.close();
  }
}

async function dispatch(clusters: CloudClusters, { command, io, flags, positionals }: CommandContext): Promise<number> {
  const out = new Output(io, flags.boolean("json"));
  const { signal } = io;
  const { noun, cloud } = clusters;
  const word = command.path[1];
  switch (word) {
    case "list": {
      const limit = readLimit(flags.string("limit"));
      const table = clusterTable(clusters.idWidth);
      let header = true;
      let count = 0;
      if (limit !== 0) {
        for await (const view of clusters.list(flags, signal)) {
          if (header) await out.line(table.header);
          header = false;
          await out.result(table.row(view), clusterJson(cloud, noun, view));
          if (++count === limit) break;
        }
      }
      if (header) await out.line(table.header);
      return ExitCode.ok;
    }
    case "get": {
      const view = await clusters.get(positionals[0]!, signal);
      await out.result(clusterCard(view), clusterJson(cloud, noun, view));
      return ExitCode.ok;
    }
    case "start":
    case "stop": {
      const change = word === "start" ? clusters.start : clusters.stop;
      if (change === undefined) throw new UsageError(`${command.path.join(" ")}: --cloud ${cloud} has no ${word} API`);
      const id = positionals[0]!;
      const since = Date.now();
      out.progress.show(`${noun} ${id} ${word === "start" ? "starting" : "stopping"}`, since);
      let view;
      try {
        view = await change.call(clusters, id, flags, { signal, ...pollOptions(flags) });
      } finally {
        out.progress.done();
      }
      const elapsedMs = Date.now() - since;
      await out.result(`${noun} ${view.id} ${view.status} in ${formatDuration(elapsedMs)}`, clusterJson(cloud, noun, view, { elapsedMs }));
      return ExitCode.ok;
    }
  }
  throw new UsageError(`${command.path.join(" ")}: not a ${noun} command`);
}
