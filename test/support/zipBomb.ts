import { once } from 'node:events';
import zlib from 'node:zlib';
import JSZip from 'jszip';

/**
 * Expanding uploads, built in memory (no binary fixture in the repo): a real XLSX whose
 * xl/sharedStrings.xml is replaced by a deflate stream that inflates to `inflatedMb` of shared
 * strings. The stream is produced by deflating a repeated block, so building a 400 MB bomb takes
 * about a second and a few hundred KB.
 */
export interface BombOptions {
  /** What the shared strings inflate to. */
  inflatedMb: number;
  /** Size the zip declares for the entry (both headers); default the true size. A lie is caught while inflating. */
  declaredBytes?: number;
  /**
   * The repeated text. Default: short shared strings (`<si><t>Meta de producto</t></si>`) that
   * compress about 1000:1. `random` is pseudo-random words (about 15:1): 100 MB need about 7 MB.
   */
  content?: 'repetitive' | 'random';
}

const MB = 1024 * 1024;

/** A block of whole shared strings, about 1 MB long. */
function block(kind: BombOptions['content']): Buffer {
  if (kind !== 'random') return Buffer.from('<si><t>Meta de producto</t></si>'.repeat(Math.ceil(MB / 32)).slice(0, MB));
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const parts: string[] = [];
  let length = 0;
  while (length < MB) {
    const word = Array.from({ length: 3 + (next() % 8) }, () => String.fromCharCode(97 + (next() % 26))).join('');
    const si = `<si><t xml:space="preserve">${word}</t></si>`;
    parts.push(si);
    length += si.length;
  }
  return Buffer.from(parts.join(''));
}

/** Raw deflate of `header + block × n + footer`, streamed so the inflated text is never in memory. */
async function deflatedSharedStrings(inflatedMb: number, content: BombOptions['content']): Promise<{ data: Buffer; size: number; crc: number }> {
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">');
  const tail = Buffer.from('</sst>');
  const body = block(content);
  const deflate = zlib.createDeflateRaw({ level: content === 'random' ? 6 : 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  let crc = zlib.crc32(head);
  let size = head.length;
  deflate.write(head);
  for (let i = 0; i < inflatedMb; i++) {
    if (!deflate.write(body)) await once(deflate, 'drain');
    crc = zlib.crc32(body, crc);
    size += body.length;
  }
  deflate.end(tail);
  crc = zlib.crc32(tail, crc);
  size += tail.length;
  await once(deflate, 'end');
  return { data: Buffer.concat(chunks), size, crc };
}

interface Entry {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
  declared: number;
}

/** A plain zip (deflate, no data descriptors), written here because it must be able to lie about sizes. */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declared, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The entries of a real XLSX, recompressed as they are. */
async function entriesOf(xlsx: Buffer): Promise<Entry[]> {
  const loaded = await JSZip.loadAsync(xlsx);
  const entries: Entry[] = [];
  for (const file of Object.values(loaded.files)) {
    if (file.dir) continue;
    const content = await file.async('nodebuffer');
    entries.push({ name: file.name, data: zlib.deflateRawSync(content), crc: zlib.crc32(content), size: content.length, declared: content.length });
  }
  return entries;
}

/** `xlsx` with its shared strings replaced by a bomb (added when the workbook had none). */
export async function xlsxBomb(xlsx: Buffer, options: BombOptions): Promise<Buffer> {
  const bomb = await deflatedSharedStrings(options.inflatedMb, options.content);
  const entries = (await entriesOf(xlsx)).filter((e) => e.name !== 'xl/sharedStrings.xml');
  entries.push({ name: 'xl/sharedStrings.xml', data: bomb.data, crc: bomb.crc, size: bomb.size, declared: options.declaredBytes ?? bomb.size });
  return zip(entries);
}

/** `xlsx` with `parts` more tiny entries, to exceed the limit on entries. */
export async function xlsxWithParts(xlsx: Buffer, parts: number): Promise<Buffer> {
  const entries = await entriesOf(xlsx);
  const content = Buffer.from('<x/>');
  const data = zlib.deflateRawSync(content);
  for (let i = 0; i < parts; i++) entries.push({ name: `xl/extra/part${i}.xml`, data, crc: zlib.crc32(content), size: content.length, declared: content.length });
  return zip(entries);
}
