// An HTTP/2 server that accepts every gRPC call and never answers, so a test
// can hold a call in flight for as long as it likes and know when it arrived.
import { startBrokenServer } from "./broken-server.js";
import type { BrokenServer } from "./broken-server.js";

export type HangingServer = BrokenServer;

export function startHangingServer(): Promise<HangingServer> {
  return startBrokenServer("hang");
}
