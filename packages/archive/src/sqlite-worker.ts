import type { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteArchiveReader } from './sqlite-archive-reader.ts';
import { SqliteArchiveWriter } from './sqlite-archive-writer.ts';
import { openReaderDatabase, openWriterDatabase } from './sqlite-schema.ts';
import type {
  ReaderRequest,
  ReadyMessage,
  ReplyEnvelope,
  RequestEnvelope,
  SqliteWorkerData,
  WriterRequest,
} from './sqlite-worker-protocol.ts';

/**
 * A worker thread owning one SQLite connection. `DatabaseSync` blocks its thread for the length of each
 * statement; here that is this thread, so the main thread keeps parsing requests (on the other core) while
 * a transaction commits or a query scans. The writer and the reader are two of these, one each, so a long
 * query never holds up a commit and the reverse.
 */
const port = parentPort!;
const { role, path, synchronous } = workerData as SqliteWorkerData;

let db: DatabaseSync;
let handle: (request: WriterRequest | ReaderRequest) => unknown;
try {
  if (role === 'writer') {
    db = openWriterDatabase(path, synchronous);
    handle = writerHandler(new SqliteArchiveWriter(db));
  } else {
    db = openReaderDatabase(path);
    handle = readerHandler(new SqliteArchiveReader(db));
  }
  port.postMessage({ ready: true } satisfies ReadyMessage);
} catch (error) {
  port.postMessage({ ready: false, error } satisfies ReadyMessage);
  port.close();
}

port.on('message', ({ id, request }: RequestEnvelope<WriterRequest | ReaderRequest>) => {
  let reply: ReplyEnvelope;
  try {
    if (request.op === 'close') {
      db.close();
      port.postMessage({ id, ok: true, value: undefined } satisfies ReplyEnvelope);
      port.close();
      return;
    }
    reply = { id, ok: true, value: handle(request) };
  } catch (error) {
    reply = { id, ok: false, error };
  }
  port.postMessage(reply);
});

function writerHandler(writer: SqliteArchiveWriter) {
  return (request: WriterRequest | ReaderRequest): unknown => {
    switch (request.op) {
      case 'append':
        return writer.append(request.batches);
      case 'prune':
        return writer.prune(request.beforeMicros, request.limit);
      case 'optimize':
        return writer.optimize();
      default:
        throw new Error(`the archive writer does not handle ${request.op}`);
    }
  };
}

function readerHandler(reader: SqliteArchiveReader) {
  return (request: WriterRequest | ReaderRequest): unknown => {
    switch (request.op) {
      case 'query':
        return reader.query(request.condition, request.page);
      case 'statistics':
        return reader.statistics(request.condition);
      case 'histogram':
        return reader.histogram(request.condition, request.interval);
      case 'exportPage':
        return reader.exportPage(request.condition, request.after, request.size);
      default:
        throw new Error(`the archive reader does not handle ${request.op}`);
    }
  };
}
