/**
 * A standalone ZooKeeper server on zabsim's znode tree, in simulated time: sessions, the
 * prep -> apply pipeline with one zxid per write, watch delivery per connection, the container
 * and TTL reaper, and the jute.maxbuffer request limit with the client's reconnect.
 */
export { StandaloneServer } from "./server.js";
export type { StandaloneOptions, ClientRequest } from "./server.js";
export type { Reply } from "./reply.js";
export type { Arrival } from "./connection.js";
export { CLIENT_ADDRESS } from "./connection.js";
export { JUTE_MAX_BUFFER, exceedsMaxBuffer, requestFrameLength, utf8Length } from "./jute-size.js";
export { ClientWatches } from "./client-watches.js";
export type { WatchLists, WatchingRead } from "./client-watches.js";
