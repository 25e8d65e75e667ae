/**
 * RealZooKeeper, the client API over the wire, against small scripted servers on 127.0.0.1 (no
 * JVM; the real ensemble is `npm run test:real`): a connect string whose first server is down,
 * ACLs and credentials as the Java client encodes them (create's ACL vector, AuthPacket with xid
 * -4 and type 100), ZooKeeper's codes as typed KeeperErrors (a reply's code, a failed multi's
 * first failing op, a refused credential, a bad path refused before anything is sent), one-shot
 * watch callbacks, and a dropped connection: CONNECTIONLOSS for the call in flight, the session
 * moved to the next server of the list with its id, its credentials sent again before its
 * setWatches, and the armed watch re-registered.
 */
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KeeperError } from "../../../src/client/index.js";
import { JuteReader, JuteWriter } from "../../../src/real/jute.js";
import { RealZooKeeper } from "../../../src/real/zookeeper.js";

interface Request {
  readonly server: number;
  readonly xid: number;
  readonly type: number;
  readonly body: Buffer;
}

/** How a scripted server answers one request: reply frames, or "drop" the connection. */
type Answer = (request: Request) => JuteWriter[] | "drop";

function frame(writer: JuteWriter): Buffer {
  const payload = writer.toBuffer();
  const length = Buffer.alloc(4);
  length.writeInt32BE(payload.length);
  return Buffer.concat([length, payload]);
}

function header(xid: number, err = 0): JuteWriter {
  const writer = new JuteWriter();
  writer.writeInt(xid);
  writer.writeLong(9n);
  writer.writeInt(err);
  return writer;
}

function stat(writer: JuteWriter, version = 0): JuteWriter {
  for (const field of ["l", "l", "l", "l", "v", "i", "i", "l", "i", "i", "l"]) {
    if (field === "l") writer.writeLong(5n);
    else writer.writeInt(field === "v" ? version : 0);
  }
  return writer;
}

const servers: Server[] = [];
const clients: RealZooKeeper[] = [];
const seen: Request[] = [];
const connects: Array<{ server: number; sessionId: bigint }> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
  seen.length = 0;
  connects.length = 0;
});

/** Starts scripted server number `index`; resolves to its port. */
async function serve(index: number, answer: Answer): Promise<number> {
  const server = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    let greeted = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const payload = buffered.subarray(4, 4 + buffered.readInt32BE(0));
        buffered = buffered.subarray(4 + payload.length);
        const reader = new JuteReader(payload);
        if (!greeted) {
          greeted = true;
          reader.readInt();
          reader.readLong();
          reader.readInt();
          connects.push({ server: index, sessionId: reader.readLong() });
          const hello = new JuteWriter();
          hello.writeInt(0);
          hello.writeInt(30000);
          hello.writeLong(0x77n);
          hello.writeBuffer(Buffer.alloc(16, 1));
          hello.writeBool(false);
          socket.write(frame(hello));
          continue;
        }
        const request = { server: index, xid: reader.readInt(), type: reader.readInt(),
          body: Buffer.from(payload.subarray(8)) };
        seen.push(request);
        const out = answer(request);
        if (out === "drop") {
          socket.destroy();
          return;
        }
        for (const writer of out) socket.write(frame(writer));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

/** A port nothing listens on (a server that is down). */
async function downPort(): Promise<number> {
  const port = await serve(-1, () => []);
  const server = servers.pop();
  await new Promise((done) => server?.close(done));
  return port;
}

async function client(ports: readonly number[]): Promise<RealZooKeeper> {
  const zk = await RealZooKeeper.connect({
    servers: ports.map((port) => ({ host: "127.0.0.1", port })),
    timeouts: { connectMs: 1000, requestMs: 2000, sessionMs: 5000 },
  });
  clients.push(zk);
  return zk;
}

/** Answers by opcode: create2, getData (after a NodeDataChanged notification), multi, ok. */
const standard: Answer = (r) => {
  if (r.type === 15) {
    const reply = header(r.xid);
    reply.writeString("/made0000000001");
    return [stat(reply)];
  }
  if (r.type === 4) {
    const path = new JuteReader(r.body).readString();
    if (path === "/missing") return [header(r.xid, -101)];
    const reply = header(r.xid);
    reply.writeBuffer(Buffer.from("v"));
    if (path !== "/notify") return [stat(reply, 3)];
    const note = header(-1);
    note.writeInt(3);
    note.writeInt(3);
    note.writeString("/w");
    return [note, stat(reply, 3)];
  }
  if (r.type === 14) {
    const reply = header(r.xid);
    for (const [type, err] of [[-1, 0], [-1, -103], [-1, -2]] as const) {
      reply.writeInt(type);
      reply.writeBool(false);
      reply.writeInt(err);
      reply.writeInt(err);
    }
    reply.writeInt(-1);
    reply.writeBool(true);
    reply.writeInt(-1);
    return [reply];
  }
  if (r.type === 100) {
    const auth = new JuteReader(r.body);
    auth.readInt();
    return [header(-4, auth.readString() === "digest" ? 0 : -115)];
  }
  return [header(r.xid)];
};

describe("RealZooKeeper", () => {
  it("takes the first server of the list that answers", async () => {
    const zk = await client([await downPort(), await serve(2, standard)]);
    expect(zk.server.port).not.toBe(0);
    expect(connects).toEqual([{ server: 2, sessionId: 0n }]);
    expect(zk.sessionId).toBe(0x77n);
  });

  it("encodes create's ACL and returns the created path", async () => {
    const zk = await client([await serve(1, standard)]);
    const acl = [{ perms: 1, id: { scheme: "digest", id: "bob:abc=" } }];
    expect(await zk.create("/made", null, acl, "PERSISTENT_SEQUENTIAL")).toBe("/made0000000001");
    const body = new JuteReader(seen[0]?.body ?? Buffer.alloc(0));
    expect([body.readString(), body.readBuffer(), body.readInt(), body.readInt(),
      body.readString(), body.readString(), body.readInt()])
      .toEqual(["/made", null, 1, 1, "digest", "bob:abc=", 2]);
  });

  it("turns ZooKeeper's codes into typed KeeperErrors", async () => {
    const zk = await client([await serve(1, standard)]);
    await expect(zk.getData("/missing"))
      .rejects.toMatchObject({ code: "NONODE", path: "/missing" });
    const multi = zk.multi([{ type: "check", path: "/a", version: 1 },
      { type: "setData", path: "/b", data: null, version: 4 },
      { type: "delete", path: "/c", version: -1 }]);
    await expect(multi).rejects.toBeInstanceOf(KeeperError);
    await expect(multi).rejects.toMatchObject({ code: "BADVERSION" });
    await expect(zk.addAuthInfo("nosuch", new Uint8Array([1])))
      .rejects.toMatchObject({ code: "AUTHFAILED" });
    const sent = seen.length;
    await expect(zk.getData("no/slash")).rejects.toMatchObject({ code: "BADARGUMENTS" });
    await expect(zk.create("/x", null, [], "PERSISTENT")).rejects.toMatchObject({
      code: "INVALIDACL" });
    expect(seen).toHaveLength(sent);
  });

  it("calls a watch callback once, when its event arrives", async () => {
    const zk = await client([await serve(1, standard)]);
    const events: string[] = [];
    await zk.getData("/w", (event) => events.push(`${event.type} ${event.path}`));
    // getData("/notify") makes the scripted server send NodeDataChanged /w before its reply.
    await zk.getData("/notify");
    await zk.getData("/notify");
    expect(events).toEqual(["NodeDataChanged /w"]);
  });

  it("moves to the next server after a drop, resending credentials before setWatches", async () => {
    const drop: Answer = (r) => (r.type === 5 ? "drop" : standard(r));
    const zk = await client([await serve(1, drop), await serve(2, standard)]);
    await zk.addAuthInfo("digest", new TextEncoder().encode("bob:pw"));
    await zk.getData("/w", () => undefined);
    await expect(zk.setData("/w", null, -1)).rejects.toMatchObject({ code: "CONNECTIONLOSS" });
    expect(connects).toEqual([{ server: 1, sessionId: 0n }, { server: 2, sessionId: 0x77n }]);
    const onSecond = seen.filter((r) => r.server === 2).map((r) => `${r.xid}/${r.type}`);
    expect(onSecond.slice(0, 2)).toEqual(["-4/100", "-8/101"]);
    const auth = new JuteReader(seen.find((r) => r.server === 2)?.body ?? Buffer.alloc(0));
    expect([auth.readInt(), auth.readString(), auth.readBuffer()?.toString()])
      .toEqual([0, "digest", "bob:pw"]);
    expect((await zk.getData("/w")).stat.version).toBe(3);
  });
});
