/** UTF-8 text of znode data; undefined for null data or invalid UTF-8. */
const decoder = new TextDecoder("utf-8", { fatal: true });

export function fromUtf8(data: Uint8Array | null): string | undefined {
  if (data === null) return undefined;
  try {
    return decoder.decode(data);
  } catch {
    return undefined;
  }
}
