// How a benchmark file hands its result back: over IPC when run.mjs forked it,
// as JSON on stdout when run on its own.
export function report(result) {
  if (process.send) {
    process.send({ type: "result", result }, () => process.exit(0));
  } else {
    console.log(JSON.stringify(result, null, 2));
    process.exit(0);
  }
}

/** Progress lines go to stderr so stdout stays the table. */
export function progress(name, message) {
  process.stderr.write(`[bench:${name}] ${message}\n`);
}
