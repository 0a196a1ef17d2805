import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { documents } from '../db/schema';
import { sha256Hex } from './canonicalJson';
import { nextRecordNumber } from '../db/recordNumbers';
import type { RecordSeries } from '../domain/records';

/** A database or a transaction: storing a document can join the caller's transaction. */
type Executor = Pick<Database, 'select' | 'insert'>;

export interface StoreDocumentRequest {
  /** Deterministic key (review workflow ID + kind): one file per record, ever. */
  documentKey: string;
  kind: string;
  reviewWorkflowId: string | null;
  fileName: string;
  contentType: string;
  /** Called only when no document has the key yet. */
  render: () => Promise<Buffer>;
}

export interface StoredDocumentRef {
  id: number;
  sha256: string;
  /** The record's consecutive number, for numbered records (null on records issued before numbering). */
  recordNumber?: string | null;
  /** False when the document already existed (this call rendered nothing and stored nothing). */
  created: boolean;
}

export interface StoredDocument {
  id: number;
  documentKey: string;
  kind: string;
  reviewWorkflowId: string | null;
  fileName: string;
  contentType: string;
  content: Buffer;
  sha256: string;
  createdAt: string;
}

const refColumns = { id: documents.id, sha256: documents.sha256, recordNumber: documents.recordNumber, kind: documents.kind, reviewWorkflowId: documents.reviewWorkflowId };

/** The row of a rendered document: refused when rendering produced no file. */
function documentRow(request: Omit<StoreDocumentRequest, 'render'>, content: Buffer, recordNumber: string | null) {
  if (!Buffer.isBuffer(content) || content.length === 0) {
    throw new Error(`storeDocument(${request.documentKey}): render() did not produce a file`);
  }
  return {
    documentKey: request.documentKey,
    kind: request.kind,
    reviewWorkflowId: request.reviewWorkflowId,
    fileName: request.fileName,
    contentType: request.contentType,
    sha256: sha256Hex(content),
    content: content.toString('base64'),
    recordNumber,
  };
}

/**
 * Stores a generated document once. A record is never regenerated differently: if the key exists,
 * the stored document is returned without rendering. Otherwise the file is rendered, hashed and
 * inserted with ON CONFLICT DO NOTHING, then read back, so of two concurrent calls (a retried
 * activity and the original) one row wins and both return it.
 */
export async function storeDocument(db: Executor, request: StoreDocumentRequest): Promise<StoredDocumentRef> {
  const existing = await findRef(db, request);
  if (existing) return { ...existing, created: false };

  const [inserted] = await db
    .insert(documents)
    .values(documentRow(request, await request.render(), null))
    .onConflictDoNothing({ target: documents.documentKey })
    .returning({ id: documents.id, sha256: documents.sha256 });
  if (inserted) return { ...inserted, created: true };

  const winner = await findRef(db, request);
  if (!winner) throw new Error(`storeDocument(${request.documentKey}): the insert conflicted but no document has the key`);
  return { ...winner, created: false };
}

/**
 * Stores a numbered record once: the next consecutive number of its series is taken, printed by
 * `render` and stored with the file in one transaction. Of two concurrent issues of the same record
 * one commits; the other rolls back, giving its number back, and returns the winner.
 */
export async function storeNumberedDocument(
  db: Database,
  request: Omit<StoreDocumentRequest, 'render'> & { series: RecordSeries; year: number; render: (recordNumber: string) => Promise<Buffer> },
): Promise<StoredDocumentRef> {
  const existing = await findRef(db, request);
  if (existing) return { ...existing, created: false };
  try {
    return await db.transaction(async (tx) => {
      const recordNumber = await nextRecordNumber(tx, request.series, request.year);
      const [inserted] = await tx
        .insert(documents)
        .values(documentRow(request, await request.render(recordNumber), recordNumber))
        .returning({ id: documents.id, sha256: documents.sha256 });
      return { ...(inserted as { id: number; sha256: string }), recordNumber, created: true };
    });
  } catch (error) {
    // A concurrent issue of the same record won (unique key): its number stands, this one was given back.
    const winner = await findRef(db, request);
    if (winner) return { ...winner, created: false };
    throw error;
  }
}

/** The document with the key; a key reused for another kind or review is a bug, not a match. */
async function findRef(db: Executor, request: Pick<StoreDocumentRequest, 'documentKey' | 'kind' | 'reviewWorkflowId'>): Promise<Omit<StoredDocumentRef, 'created'> | null> {
  const [row] = await db.select(refColumns).from(documents).where(eq(documents.documentKey, request.documentKey));
  if (!row) return null;
  if (row.kind !== request.kind || row.reviewWorkflowId !== request.reviewWorkflowId) {
    throw new Error(
      `storeDocument(${request.documentKey}): the key already holds a ${row.kind} document of ${row.reviewWorkflowId ?? 'no review'}, ` +
        `not a ${request.kind} of ${request.reviewWorkflowId ?? 'no review'}`,
    );
  }
  return { id: row.id, sha256: row.sha256, recordNumber: row.recordNumber };
}

export async function readDocument(db: Pick<Database, 'select'>, id: number): Promise<StoredDocument | null> {
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  return row ? decode(row) : null;
}

export async function readDocumentByKey(db: Pick<Database, 'select'>, documentKey: string): Promise<StoredDocument | null> {
  const [row] = await db.select().from(documents).where(eq(documents.documentKey, documentKey));
  return row ? decode(row) : null;
}

/** Decodes the stored file and checks it against its hash: a damaged record is an error, never served. */
function decode(row: typeof documents.$inferSelect): StoredDocument {
  const content = Buffer.from(row.content, 'base64');
  if (sha256Hex(content) !== row.sha256) {
    throw new Error(`Document ${row.id} (${row.documentKey}) does not match its SHA-256: the stored file is damaged`);
  }
  return {
    id: row.id,
    documentKey: row.documentKey,
    kind: row.kind,
    reviewWorkflowId: row.reviewWorkflowId,
    fileName: row.fileName,
    contentType: row.contentType,
    content,
    sha256: row.sha256,
    createdAt: row.createdAt,
  };
}
