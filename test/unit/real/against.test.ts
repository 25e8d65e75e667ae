/**
 * `runAgainst` (zabsim script FILE --against HOST:PORT) refuses what it must refuse, without
 * writing anything: a malformed file (an input error), a server whose tree holds more than
 * /zookeeper (it lists / with a read and then only closes its session), and an address where
 * nothing listens (one error line). The server here is a small scripted one on 127.0.0.1.
 */
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runAgainst } from "../../../src/real/against.js";
import { JuteReader, JuteWriter } from "../../../src/real/jute.js";

function frame(writer: JuteWriter): Buffer {
  const payload = writer.toBuffer();
  const length = Buffer.alloc(4);
  length.writeInt32BE(payload.length);
  return Buffer.concat([length, payload]);
}

const sockets = new Set<Socket>();

/** Answers the handshake, lists / as holding `children`, and acknowledges anything else. */
function occupiedServer(children: string[], types: number[]): Server {
  return createServer((socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    let greeted = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const payload = buffered.subarray(4, 4 + buffered.readInt32BE(0));
        buffered = buffered.subarray(4 + payload.length);
        const answer = new JuteWriter();
        if (!greeted) {
          greeted = true;
          answer.writeInt(0);
          answer.writeInt(30000);
          answer.writeLong(77n);
          answer.writeBuffer(Buffer.alloc(16));
          socket.write(frame(answer));
          continue;
        }
        const reader = new JuteReader(payload);
        const xid = reader.readInt();
        const type = reader.readInt();
        types.push(type);
        answer.writeInt(xid);
        answer.writeLong(1n);
        answer.writeInt(0);
        if (type === 12) {
          answer.writeStrings(children);
          for (let i = 0; i < 11; i++) {
            if ([0, 1, 2, 3, 7, 10].includes(i)) answer.writeLong(0n);
            else answer.writeInt(0);
          }
        }
        socket.write(frame(answer));
      }
    });
  });
}

let server: Server | undefined;

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  const open = server?.listening === true ? server : undefined;
  await new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(created: Server): Promise<number> {
  server = created;
  await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", () => resolve()));
  const address = created.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

const SCENARIO = JSON.stringify({
  sessions: 1,
  steps: [{ op: "create", s: 0, path: "/x", mode: "PERSISTENT" }],
});

describe("runAgainst", () => {
  it("rejects a malformed file as an input error before connecting", async () => {
    const outcome = await runAgainst('{"sessions": 1, "steps": [{"op": "nope"}]}', "127.0.0.1", 1);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.kind).toBe("input");
  });

  it("refuses a server holding other nodes, sending no write", async () => {
    const types: number[] = [];
    const port = await listen(occupiedServer(["zookeeper", "x", "app"], types));
    const outcome = await runAgainst(SCENARIO, "127.0.0.1", port);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.kind).toBe("server");
      expect(outcome.error).toContain("/app, /x");
      expect(outcome.error.includes("\n")).toBe(false);
    }
    // getChildren2 (12) then closeSession (-11): no create, no delete.
    expect(types).toEqual([12, -11]);
  });

  it("turns a server dying mid-scenario into one error line", async () => {
    const types: number[] = [];
    const created = occupiedServer(["zookeeper"], types);
    const port = await listen(created);
    const dying = JSON.stringify({
      sessions: 1,
      steps: [{ op: "sleep", ms: 300 }, { op: "exists", s: 0, path: "/a" }],
    });
    setTimeout(() => {
      created.close();
      for (const socket of sockets) socket.destroy();
    }, 100);
    const outcome = await runAgainst(dying, "127.0.0.1", port);
    expect(outcome.ok).toBe(false);
    const line = outcome.ok ? "" : outcome.error;
    expect(line).toMatch(/^zookeeper at 127\.0\.0\.1:\d+: /);
    expect(line.includes("\n")).toBe(false);
  });

  it("turns an unreachable server into one error line", async () => {
    const port = await listen(createServer());
    server?.close();
    const outcome = await runAgainst(SCENARIO, "127.0.0.1", port);
    expect(outcome.ok).toBe(false);
    const line = outcome.ok ? "" : outcome.error;
    expect(line).toMatch(/^zookeeper at 127\.0\.0\.1:\d+: cannot connect/);
  });
});
