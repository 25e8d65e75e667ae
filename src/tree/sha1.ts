/**
 * A small pure SHA-1 and base64 for digest ACL ids (DigestAuthenticationProvider:
 * user:base64(sha1("user:password"))). Kept here, not node:crypto, so the tree stays free of
 * platform modules; it runs only on addAuth and ACL fix-up, never on the apply path.
 */

/** UTF-8 bytes of a string (Java's getBytes(UTF_8); lone surrogates become '?'). */
export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** Pads a message to whole 64-byte blocks with the bit length in the last 8 bytes. */
function pad(message: Uint8Array): Uint8Array {
  const blocks = Math.ceil((message.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const bitLength = message.length * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  return padded;
}

/** One 64-byte block of the SHA-1 compression function, updating `h` in place. */
function compress(h: Uint32Array, view: DataView, offset: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
  for (let i = 16; i < 80; i++) {
    w[i] = rotl((w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0), 1);
  }
  let a = h[0] ?? 0, b = h[1] ?? 0, c = h[2] ?? 0, d = h[3] ?? 0, e = h[4] ?? 0;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) [f, k] = [(b & c) | (~b & d), 0x5a827999];
    else if (i < 40) [f, k] = [b ^ c ^ d, 0x6ed9eba1];
    else if (i < 60) [f, k] = [(b & c) | (b & d) | (c & d), 0x8f1bbcdc];
    else [f, k] = [b ^ c ^ d, 0xca62c1d6];
    const t = (rotl(a, 5) + f + e + k + (w[i] ?? 0)) >>> 0;
    e = d;
    d = c;
    c = rotl(b, 30) >>> 0;
    b = a;
    a = t;
  }
  h[0] = ((h[0] ?? 0) + a) >>> 0;
  h[1] = ((h[1] ?? 0) + b) >>> 0;
  h[2] = ((h[2] ?? 0) + c) >>> 0;
  h[3] = ((h[3] ?? 0) + d) >>> 0;
  h[4] = ((h[4] ?? 0) + e) >>> 0;
}

/** SHA-1 of a byte string: 20 bytes. */
export function sha1(message: Uint8Array): Uint8Array {
  const padded = pad(message);
  const view = new DataView(padded.buffer);
  const h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const w = new Uint32Array(80);
  for (let offset = 0; offset < padded.length; offset += 64) compress(h, view, offset, w);
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 5; i++) outView.setUint32(i * 4, h[i] ?? 0);
  return out;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with '=' padding (java.util.Base64.getEncoder). */
export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const triple = (b0 << 16) | (b1 << 8) | b2;
    out += BASE64[(triple >>> 18) & 63];
    out += BASE64[(triple >>> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(triple >>> 6) & 63] : "=";
    out += i + 2 < bytes.length ? BASE64[triple & 63] : "=";
  }
  return out;
}

/** Decodes standard base64; undefined for malformed input. */
export function base64Decode(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let k = 0; k < 4; k++) {
      const ch = text[i + k] ?? "=";
      const v = ch === "=" ? 0 : BASE64.indexOf(ch);
      if (v < 0) return undefined;
      triple = (triple << 6) | v;
    }
    if (o < out.length) out[o++] = (triple >>> 16) & 0xff;
    if (o < out.length) out[o++] = (triple >>> 8) & 0xff;
    if (o < out.length) out[o++] = triple & 0xff;
  }
  return out;
}
