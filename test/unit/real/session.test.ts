/**
 * The session's connection handling, against a small scripted server on 127.0.0.1 started by the
 * test (no JVM): the ConnectRequest fields, notifications that arrive before a reply, ping round
 * trips, and what happens when the server drops the connection without answering (as ZooKeeper
 * does after an oversized request): CONNECTIONLOSS, a reconnect carrying the same session id,
 * password and last zxid, and a setWatches (xid -8, type 101) re-registering the armed watch.
 * A pinned session (ensemble scenarios) does not reconnect by itself: it waits for `reattach`,
 * which reconnects it with the same id, password and last zxid, or reports the expiry that a
 * ConnectResponse with timeout 0 means.
 */
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { JuteReader, JuteWriter } from "../../../src/real/jute.js";
import { Session } from "../../../src/real/session.js";

interface Seen {
  connects: Array<{ lastZxid: bigint; sessionId: bigint; password: string }>;
  requests: Array<{ xid: number; type: number; body: Buffer }>;
}

function frame(writer: JuteWriter): Buffer {
  const payload = writer.toBuffer();
  const length = Buffer.alloc(4);
  length.writeInt32BE(payload.length);
  return Buffer.concat([length, payload]);
}

function replyHeader(xid: number, zxid: bigint, err: number): JuteWriter {
  const writer = new JuteWriter();
  writer.writeInt(xid);
  writer.writeLong(zxid);
  writer.writeInt(err);
  return writer;
}

const EMPTY_STAT = (writer: JuteWriter): void => {
  for (const field of ["l", "l", "l", "l", "i", "i", "i", "l", "i", "i", "l"]) {
    if (field === "l") writer.writeLong(7n);
    else writer.writeInt(0);
  }
};

/**
 * A server that answers the handshake, getData (after a notification), ping and setWatches.
 * With `expireAfter`, handshakes after that many answer timeout 0 (the session expired).
 */
function scriptedServer(seen: Seen, expireAfter = Infinity): Server {
  return createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    let greeted = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const payload = buffered.subarray(4, 4 + buffered.readInt32BE(0));
        buffered = buffered.subarray(4 + payload.length);
        if (!greeted) {
          greeted = true;
          const reader = new JuteReader(payload);
          reader.readInt();
          const lastZxid = reader.readLong();
          reader.readInt();
          const sessionId = reader.readLong();
          const password = (reader.readBuffer() ?? Buffer.alloc(0)).toString("hex");
          seen.connects.push({ lastZxid, sessionId, password });
          const answer = new JuteWriter();
          answer.writeInt(0);
          answer.writeInt(seen.connects.length > expireAfter ? 0 : 30000);
          answer.writeLong(0x1234n);
          answer.writeBuffer(Buffer.alloc(16, 0xab));
          answer.writeBool(false);
          socket.write(frame(answer));
          continue;
        }
        const reader = new JuteReader(payload);
        const xid = reader.readInt();
        const type = reader.readInt();
        seen.requests.push({ xid, type, body: payload.subarray(8) });
        if (type === 5) {
          socket.destroy();
          return;
        }
        if (type === 4) {
          const note = replyHeader(-1, -1n, 0);
          note.writeInt(3);
          note.writeInt(3);
          note.writeString("/other");
          socket.write(frame(note));
          const reply = replyHeader(xid, 42n, 0);
          reply.writeBuffer(Buffer.from("v"));
          EMPTY_STAT(reply);
          socket.write(frame(reply));
        } else {
          socket.write(frame(replyHeader(xid, type === 11 ? -1n : 43n, 0)));
        }
      }
    });
  });
}

let server: Server | undefined;
let session: Session | undefined;

afterEach(async () => {
  session?.end("test over");
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function start(seen: Seen, expireAfter = Infinity): Promise<number> {
  server = scriptedServer(seen, expireAfter);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("Session", () => {
  it("orders a notification before the reply it preceded on the wire", async () => {
    const seen: Seen = { connects: [], requests: [] };
    const port = await start(seen);
    session = await Session.open("127.0.0.1", port);
    expect(session.sessionId).toBe(0x1234n);
    expect(seen.connects[0]).toEqual({ lastZxid: 0n, sessionId: 0n, password: "00".repeat(16) });
    const reply = await session.request({ op: "getData", path: "/a", watch: true });
    expect(reply.err).toBe(0);
    await session.ping();
    const notes = session.takeNotifications();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.type).toBe("NodeDataChanged");
    expect((notes[0]?.seq ?? Infinity) < reply.seq).toBe(true);
  });

  it("reports CONNECTIONLOSS, reconnects the same session and re-registers its watch", async () => {
    const seen: Seen = { connects: [], requests: [] };
    const port = await start(seen);
    session = await Session.open("127.0.0.1", port);
    await session.request({ op: "getData", path: "/a", watch: true });
    const lost = await session.request({ op: "setData", path: "/a", data: null, version: -1 });
    expect(lost.err).toBe(-4);
    expect(lost.reconnected).toBe(true);
    const again = { lastZxid: 42n, sessionId: 0x1234n, password: "ab".repeat(16) };
    expect(seen.connects[1]).toEqual(again);
    const setWatches = seen.requests.find((request) => request.type === 101);
    expect(setWatches?.xid).toBe(-8);
    const reader = new JuteReader(setWatches?.body ?? Buffer.alloc(0));
    expect(reader.readLong()).toBe(42n);
    expect(reader.readStrings()).toEqual(["/a"]);
    expect(reader.readStrings()).toEqual([]);
    expect(reader.readStrings()).toEqual([]);
    const after = await session.request({ op: "sync", path: "/" });
    expect(after.err).toBe(0);
  });

  it("pinned: stays disconnected after a drop until reattach, which keeps id and zxid",
    async () => {
    const seen: Seen = { connects: [], requests: [] };
    const port = await start(seen);
    session = await Session.open("127.0.0.1", port, undefined, true);
    await session.request({ op: "getData", path: "/a", watch: true });
    const lost = await session.request({ op: "setData", path: "/a", data: null, version: -1 });
    expect(lost.err).toBe(-4);
    expect(lost.reconnected).toBeUndefined();
    expect(session.connected).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.connects).toHaveLength(1);
    expect(await session.reattach(port)).toBe("ok");
    expect(session.connected).toBe(true);
    const again = { lastZxid: 42n, sessionId: 0x1234n, password: "ab".repeat(16) };
    expect(seen.connects[1]).toEqual(again);
    expect(seen.requests.some((request) => request.type === 101)).toBe(true);
    expect((await session.request({ op: "sync", path: "/" })).err).toBe(0);
  });

  it("pinned: reattach reports an expired session and ends it", async () => {
    const seen: Seen = { connects: [], requests: [] };
    const port = await start(seen, 1);
    session = await Session.open("127.0.0.1", port, undefined, true);
    await session.request({ op: "setData", path: "/a", data: null, version: -1 });
    expect(await session.reattach(port)).toBe("expired");
    expect(session.expired).toBe(true);
    expect(session.connected).toBe(false);
    expect(await session.reattach(port)).toBe("expired");
  });

  it("pinned: a move the server does not take changes nothing", async () => {
    const seen: Seen = { connects: [], requests: [] };
    const port = await start(seen);
    session = await Session.open("127.0.0.1", port, undefined, true);
    const closed = createServer((socket: Socket) => socket.destroy());
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const address = closed.address();
    const refusing = typeof address === "object" && address !== null ? address.port : 0;
    try {
      expect(await session.reattach(refusing)).toBe("refused");
      expect(session.connected).toBe(true);
      expect((await session.request({ op: "sync", path: "/" })).err).toBe(0);
    } finally {
      await new Promise<void>((resolve) => closed.close(() => resolve()));
    }
  });
});
