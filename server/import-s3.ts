// `configgraph import s3://bucket/prefix`: Config deliveries in S3 imported as files are (R6, R7): objects
// downloaded one at a time, stored in runs of bounded size, and known by the SHA-256 of their bytes, so a
// re-import of the same bucket parses and stores nothing, and a changed object is imported again. Each
// object's listing (ETag, size, time) is remembered with its bytes' digest, so a re-import downloads only
// the objects listed otherwise than when their bytes were imported.
import type { DownloadedObject, FileDigest, ImportedFile, SkippedItem } from '../graph/model.ts';
import { parseFileContent } from '../graph/parse/index.ts';
import type { GraphStore } from '../graph/store.ts';
import {
  digestOf,
  ImportInterrupted,
  storedSoFar,
  StreamedImport,
  type ImportOptions,
  type ImportSummary,
} from './import.ts';
import {
  describeScope,
  parseS3Url,
  readS3Objects,
  type NotToDownload,
  type S3Object,
  type S3ReadOptions,
} from './sources/s3.ts';
import { fileDigestId } from '../graph/file-digest.ts';

/**
 * Objects asked about at once (one question to the store, one round trip to Neo4j), and the most bytes
 * they may hold together: downloaded objects are kept until the store says which it already has, since
 * downloading twice (as files are read twice) would cost the network what it saves in memory.
 */
const GROUP_OBJECTS = 256;
const GROUP_BYTES = 64 * 1024 * 1024;

export interface S3ImportOptions extends Pick<ImportOptions, 'itemsPerRun' | 'reimport'> {
  onObject?: (p: { objects: number; items: number; key: string }) => void;
}

/**
 * Imports the deliveries under an s3:// location a batch of runs at a time (R6). An object listed with the
 * ETag, size and time it had when its bytes were imported is not downloaded; any other is downloaded and
 * hashed (an ETag is no digest of the bytes for multipart or KMS-encrypted objects, so it cannot tell
 * whether the bytes of an object listed otherwise were imported), and skipped unparsed when its bytes were
 * (R7). An object's listing is remembered by the run that records its bytes; the listings of objects skipped
 * unparsed once the import stops (stored, failed or interrupted).
 */
export async function importS3(
  store: GraphStore,
  url: string,
  s3: S3ReadOptions,
  opts: S3ImportOptions = {},
): Promise<ImportSummary> {
  const bucket = parseS3Url(url).bucket;
  const stream = new StreamedImport(store, { source: `s3 ${url}`, scope: describeScope(url, s3) }, opts.itemsPerRun);
  const ctx = s3.limits ? { limits: s3.limits } : {};
  const skips: SkippedItem[] = [];
  let objects = 0;
  let alreadyImported = 0;
  let notDownloaded = 0;
  /** Objects downloaded whose bytes were recorded before: no run records them, so their listings wait here. */
  const skippedUnparsed: DownloadedObject[] = [];
  const notToDownload: NotToDownload = async (listed) => {
    const known = await store.importedObjects(listed);
    notDownloaded += known.length;
    return known;
  };
  let group: { object: S3Object; digest: FileDigest }[] = [];
  let groupBytes = 0;

  const flush = async () => {
    const known = new Set(
      opts.reimport || !group.length ? [] : (await store.importedFiles(group.map((g) => g.digest))).map(fileDigestId),
    );
    for (const { object, digest } of group) {
      if (known.has(fileDigestId(digest))) {
        alreadyImported++;
        if (object.listed) skippedUnparsed.push({ ...object.listed, ...digest });
        continue;
      }
      const r = parseFileContent(object.bytes, object.file, ctx);
      // Its listing is remembered by the run that records its bytes, so a run stored is never downloaded again.
      const recorded: ImportedFile = { ...digest, path: object.file };
      if (object.listed) {
        const { path: _listedAt, ...listing } = object.listed;
        recorded.listing = listing;
      }
      await stream.add(r, r.shape === 'unreadable' ? undefined : recorded);
    }
    group = [];
    groupBytes = 0;
    if (skips.length) await stream.add({ items: [], snapshots: [], skipped: skips.splice(0), notes: [] });
  };

  const onSkip = (s: { key: string; reason: string }) =>
    skips.push({ file: `s3://${bucket}/${s.key}`, reason: s.reason });
  // --reimport: every object downloaded (the reader's default leaves none out).
  const reading = readS3Objects(url, s3, onSkip, opts.reimport ? undefined : notToDownload);
  let summary: Awaited<ReturnType<StreamedImport['finish']>>;
  let readFailure: Error | undefined;
  try {
    try {
      for (;;) {
        if (s3.signal?.aborted) throw s3.signal.reason; // objects downloaded ahead are left; the catch says why
        let next: IteratorResult<S3Object>;
        try {
          next = await reading.next();
        } catch (e) {
          // Name the location: SDK messages ("The specified bucket does not exist") do not. Store errors pass as they are.
          const at = s3.endpointUrl ? ` at ${s3.endpointUrl}` : '';
          readFailure = new Error(`cannot read ${url}${at}: ${(e as Error).message}`, { cause: e });
          throw readFailure;
        }
        if (next.done) break;
        const object = next.value;
        objects++;
        const digest = digestOf(object.bytes);
        group.push({ object, digest });
        groupBytes += object.bytes.byteLength;
        if (group.length >= GROUP_OBJECTS || groupBytes >= GROUP_BYTES) await flush();
        opts.onObject?.({ objects, items: stream.items, key: object.key });
      }
    } finally {
      await reading.return(undefined); // closes the client when a run fails mid-listing
    }
    await flush();
    summary = await stream.finish(notesOf());
  } catch (e) {
    // The runs stored before the failure remembered their objects' listings with their bytes, and the listings
    // of objects skipped unparsed are remembered here: the import run again downloads only the rest (expired
    // credentials can stop a long import part-way).
    await stream.stopped();
    await store.recordImportedObjects(skippedUnparsed).catch(() => undefined); // the failure to report is the first
    const again = `importing ${url} again downloads only the objects they did not record`;
    if (s3.signal?.aborted) throw new ImportInterrupted(stream.storedRuns, again);
    // A failed run says what is stored itself (RunWriter); a failed read does not.
    if (readFailure && e === readFailure && stream.storedRuns > 0)
      readFailure.message += ` (${storedSoFar(stream.storedRuns, again)})`;
    throw e;
  }
  await store.recordImportedObjects(skippedUnparsed);
  return {
    ...summary,
    files: objects + notDownloaded,
    alreadyImported: alreadyImported + notDownloaded,
    notDownloaded,
  };

  function notesOf(): string[] {
    const notes: string[] = [];
    if (objects + notDownloaded === 0)
      notes.push(
        `no ConfigSnapshot or ConfigHistory objects found under ${url}${s3.from ? ` from ${s3.from} to ${s3.to}` : ''}`,
      );
    if (notDownloaded)
      notes.push(
        `${notDownloaded} objects already imported (listed with the same ETag, size and time): skipped, not downloaded`,
      );
    if (alreadyImported) notes.push(`${alreadyImported} objects already imported (the same bytes): skipped unparsed`);
    return notes;
  }
}
