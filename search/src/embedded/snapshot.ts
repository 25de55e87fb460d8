import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { LEXICON_VERSION } from '../analysis';
import type { SearchDocument } from '../types';
import { emptyVocabularies, type Vocabularies } from './text-index';

/**
 * Snapshot file format, version 2 — newline-delimited so no single JSON string has to hold 100k
 * products (V8 caps a string at ~512 MB) and documents stream in and out:
 *
 *   line 1   header  {"format":"bazaar-search-snapshot","formatVersion":1,"analyzerVersion":N,"documents":n,"createdAt":"…"}
 *   line 2   the vocabularies: {"terms":[[term, count], …],"words":[…],"brands":[…]}
 *   line 3   the MiniSearch index (MiniSearch#toJSON, loaded with MiniSearch.loadJSON)
 *   line 4…  one SearchDocument per line
 *
 * A file with another formatVersion or analyzerVersion is ignored (the indexer then rebuilds the index
 * from the database): terms made by an older analyzer would no longer meet the queries.
 */
export const SNAPSHOT_FORMAT = 'bazaar-search-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 2;
/** Bump whenever tokenization, stemming or index fields change; the lexicon's fingerprint is part of it. */
export const ANALYZER_VERSION = `3.${LEXICON_VERSION}`;

export interface SnapshotContent {
  vocabularies: Vocabularies;
  indexJson: string;
  documents: Iterable<SearchDocument>;
  count: number;
}

/** Writes to a temporary file and renames it, so a crash mid-write never leaves a torn snapshot. */
export async function writeSnapshot(file: string, content: SnapshotContent): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temporary, { encoding: 'utf8' });
  const write = (line: string) =>
    out.write(`${line}\n`)
      ? Promise.resolve()
      : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  const header = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    documents: content.count,
    createdAt: new Date().toISOString(),
  };
  await write(JSON.stringify(header));
  const { terms, words, brands } = content.vocabularies;
  await write(JSON.stringify({ terms: [...terms], words: [...words], brands: [...brands] }));
  await write(content.indexJson);
  for (const doc of content.documents) await write(JSON.stringify(doc));
  out.end();
  await finished(out);
  await rename(temporary, file);
  return (await stat(file)).size;
}

export interface LoadedSnapshot {
  vocabularies: Vocabularies;
  indexJson: string;
  documents: SearchDocument[];
}

/** Reads a snapshot; null when there is none or it was written by another format or analyzer. */
export async function readSnapshot(file: string): Promise<LoadedSnapshot | null> {
  try {
    await stat(file);
  } catch {
    return null;
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  const loaded: LoadedSnapshot = { vocabularies: emptyVocabularies(), indexJson: '', documents: [] };
  for await (const line of lines) {
    lineNo++;
    if (lineNo === 1) {
      const header = JSON.parse(line) as {
        format?: string;
        formatVersion?: number;
        analyzerVersion?: string;
      };
      if (
        header.format !== SNAPSHOT_FORMAT ||
        header.formatVersion !== SNAPSHOT_FORMAT_VERSION ||
        header.analyzerVersion !== ANALYZER_VERSION
      ) {
        lines.close();
        return null;
      }
    } else if (lineNo === 2) {
      const saved = JSON.parse(line) as Record<keyof Vocabularies, [string, number][]>;
      loaded.vocabularies = {
        terms: new Map(saved.terms),
        words: new Map(saved.words),
        brands: new Map(saved.brands),
      };
    } else if (lineNo === 3) loaded.indexJson = line;
    else if (line) loaded.documents.push(JSON.parse(line) as SearchDocument);
  }
  return lineNo >= 3 ? loaded : null;
}
