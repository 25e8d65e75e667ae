/**
 * A TCP connection carrying jute frames: each message is a 4-byte big-endian length followed by
 * that many bytes (ClientCnxnSocketNIO), in the clear or over TLS (ClientCnxnSocketNetty with
 * zookeeper.client.secure, to a server's secureClientPort). This file does not decide where to
 * connect: the callers pass the address.
 */
import { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

/**
 * TLS to a secureClientPort: the CA that signed the server's certificate and, when the server
 * asks for one (ssl.clientAuth), this client's certificate and key, all PEM. Node checks the
 * server's certificate against `ca` and the host name or IP address connected to.
 */
export interface TlsOptions {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Largest frame this client accepts from a server (a reply can hold a 1 MiB data buffer). */
const FRAME_MAX_BYTES = 16 * 1024 * 1024;

/** Receives the frames and the end of one connection. */
export interface FrameHandler {
  onFrame(frame: Buffer): void;
  /** Called once, when the connection ends for any reason. */
  onClose(reason: string): void;
}

/** SNI takes host names only (RFC 6066); an IP address is checked against the IP SANs. */
function isIpAddress(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(":");
}

/** One framed connection. */
export class FrameSocket {
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly handler: FrameHandler,
  ) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error: Error) => this.finish(`socket error: ${error.message}`));
    socket.on("close", () => this.finish("connection closed by the server"));
  }

  /** Connects within `timeoutMs`, or rejects with a one-line reason. */
  static connect(
    host: string,
    port: number,
    timeoutMs: number,
    handler: FrameHandler,
    tls?: TlsOptions,
  ): Promise<FrameSocket> {
    return new Promise((resolve, reject) => {
      const onConnected = (): void => {
        clearTimeout(timer);
        socket.off("error", onError);
        resolve(new FrameSocket(socket, handler));
      };
      const socket: Socket = tls === undefined ? new Socket()
        : tlsConnect({ host, port, ca: tls.ca, cert: tls.cert, key: tls.key,
          servername: isIpAddress(host) ? undefined : host }, onConnected);
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`cannot connect to ${host}:${port}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (error: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        const what = tls === undefined ? "" : " over TLS";
        reject(new Error(`cannot connect to ${host}:${port}${what}: ${error.message}`));
      };
      socket.once("error", onError);
      if (tls === undefined) socket.connect(port, host, onConnected);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one frame: the length prefix and the payload. */
  send(payload: Buffer): void {
    this.sendDeclared(payload.length, payload);
  }

  /**
   * Sends a frame announcing `declaredLength` bytes but carrying only `head`: for requests far
   * over the server's limit, which the server refuses from the length alone (it closes the
   * connection before reading the body), so the body is never built.
   */
  sendDeclared(declaredLength: number, head: Buffer): void {
    if (this.closed) return;
    const length = Buffer.alloc(4);
    length.writeInt32BE(Math.min(declaredLength, 0x7fffffff));
    this.socket.write(Buffer.concat([length, head]));
  }

  /** Closes the connection from this side; onClose still runs once. */
  close(): void {
    this.socket.destroy();
    this.finish("closed by the client");
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (!this.closed && this.pending.length >= 4) {
      const length = this.pending.readInt32BE(0);
      if (length < 0 || length > FRAME_MAX_BYTES) {
        this.socket.destroy();
        this.finish(`server sent an impossible frame length ${length}`);
        return;
      }
      if (this.pending.length < 4 + length) return;
      const frame = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      this.handler.onFrame(frame);
    }
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handler.onClose(reason);
  }
}
