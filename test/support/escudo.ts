import { deflateSync } from 'node:zlib';

/** CRC-32 of PNG chunks (ISO 3309), as the format requires. */
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real PNG escudo for the tests (a shield in yellow, blue and red on a transparent background),
 * `size` pixels square; `declared` overrides the size written in its header (a lying file).
 */
export function escudoPng(size = 96, declared?: { width: number; height: number }): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const u = x / size - 0.5;
      const v = y / size;
      // A shield: straight sides, a rounded point at the bottom.
      const inside = Math.abs(u) < 0.42 && (v < 0.6 || Math.abs(u) < 0.42 * Math.sqrt(Math.max(0, 1 - ((v - 0.6) / 0.38) ** 2)));
      const colour = v < 0.45 ? [252, 209, 22] : v < 0.7 ? [0, 56, 147] : [206, 17, 38];
      row.set(inside ? [...colour, 255] : [0, 0, 0, 0], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(declared?.width ?? size, 0);
  header.writeUInt32BE(declared?.height ?? size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
