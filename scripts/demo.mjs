// Placeholder for the demo (issue "The main job"): it will start the embedded
// emulator, authenticate with a service-account key and run jobs of every
// kind. Until then it says so and exits 0.
console.log("dataproc-connect demo: coming soon — the demo against the embedded emulator lands with the demo issue.");
console.log("Meanwhile `npm test` shows the package at work: wire conformance with the official SDK and a packed-tarball smoke test.");
