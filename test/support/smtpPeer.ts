import net from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

// ---------------------------------------------------------------------------------------------
// A real SMTP peer on loopback

export interface ReceivedMessage {
  mailFrom: string;
  rcptTo: string[];
  user: string | undefined;
  raw: Buffer;
}

export interface TestSmtp {
  url: string;
  port: number;
  messages: ReceivedMessage[];
  connections: number;
  /** Reply to RCPT TO with this error until cleared (e.g. 450 mailbox busy). */
  rejectRecipients: { code: number; message: string } | null;
  /** Recipients whose next RCPT TO is refused once with 451 (a busy server's temporary refusal). */
  refuseOnce: Set<string>;
  /** Recipients whose next RCPT TO is answered only after this many milliseconds (a slow server), once. */
  delayOnce: Map<string, number>;
  close(): Promise<void>;
}

export const SMTP_USER = 'planeacion';
export const SMTP_PASS = 'clave-secreta-42';

export async function startSmtp(): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: '',
    port: 0,
    messages: [],
    connections: 0,
    rejectRecipients: null,
    refuseOnce: new Set(),
    delayOnce: new Map(),
    close: async () => undefined,
  };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onConnect(_session, callback) {
      state.connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Credenciales inválidas'), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (state.refuseOnce.delete(address.address)) return callback(Object.assign(new Error('Servidor ocupado, intente más tarde'), { responseCode: 451 }));
      const delay = state.delayOnce.get(address.address);
      if (delay !== undefined) {
        state.delayOnce.delete(address.address);
        setTimeout(() => callback(), delay);
        return;
      }
      const reject = state.rejectRecipients;
      if (reject) return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP test server has no port');
  state.port = address.port;
  state.url = `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${address.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// ---------------------------------------------------------------------------------------------
// A small MIME reader (mailparser is not a dependency): headers, encoded words, multipart, bodies

export interface MimePart {
  headers: Map<string, string>;
  body: Buffer;
  parts: MimePart[];
}

export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i] as string;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

export function headerParam(header: string | undefined, name: string): string | undefined {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header ?? '');
  return match?.[1];
}

export function parseMime(raw: Buffer): MimePart {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const bodyText = split === -1 ? '' : text.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = headerParam(type, 'boundary');
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const parts = bodyText
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .map((chunk) => parseMime(Buffer.from(chunk.replace(/^\r\n/, '').replace(/\r\n$/, ''), 'latin1')));
    return { headers, body: Buffer.alloc(0), parts };
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body =
    encoding === 'base64'
      ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(bodyText)
        : Buffer.from(bodyText, 'latin1');
  return { headers, body, parts: [] };
}

export const leaves = (part: MimePart): MimePart[] => (part.parts.length ? part.parts.flatMap(leaves) : [part]);
export const findLeaf = (root: MimePart, predicate: (p: MimePart) => boolean) => leaves(root).find(predicate);
export const mediaType = (p: MimePart) => (p.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();

