/**
 * UTF-8 and base64 for digest ACL ids (DigestAuthenticationProvider:
 * user:base64(sha1("user:password"))), snapshots and the txn codec. Encodings only: the SHA-1
 * itself is @noble/hashes' (an audited library, never a hand-written primitive). Kept free of
 * node:buffer so the tree stays free of platform modules.
 */

/** UTF-8 bytes of a string (Java's getBytes(UTF_8); lone surrogates become '?'). */
export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
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
