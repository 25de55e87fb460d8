import type { Client, estypes } from '@elastic/elasticsearch';
import type { Logger } from '@market/core/logger';
import type { SearchDocument } from '../types';
import { bulkIndexStream, type BulkClient, type BulkOptions, type BulkOutcome } from './bulk';
import type { IndexDefinition } from './settings';

type IndicesClient = Pick<Client, 'indices'>;

/**
 * Index layout: the engine reads and writes through the alias `<prefix>`, which points at exactly one
 * concrete index `<prefix>_v<epoch ms>`. A reindex builds the next version beside it and moves the
 * alias in one `_aliases` call, so searches never see a half-built index.
 */
export interface IndexNames {
  alias: string;
  /** Matches every version of this alias's index (for clean-up). */
  pattern: string;
  versioned(timestamp: number): string;
}

export function indexNames(prefix: string): IndexNames {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(prefix))
    throw new Error(`index prefix must be lowercase letters, digits, '_' or '-': ${JSON.stringify(prefix)}`);
  return { alias: prefix, pattern: `${prefix}_v*`, versioned: (ts) => `${prefix}_v${ts}` };
}

/** The timestamp of a version's name (`products_v1764115200000` → 1764115200000); NaN for other names. */
export function versionOf(prefix: string, index: string): number {
  const match = new RegExp(`^${prefix}_v(\\d+)$`).exec(index);
  return match ? Number(match[1]) : Number.NaN;
}

/** The one `_aliases` request that moves the alias: both actions apply together or not at all. */
export function aliasSwapActions(
  alias: string,
  from: readonly string[],
  to: string,
): estypes.IndicesUpdateAliasesAction[] {
  return [...from.map((index) => ({ remove: { index, alias } })), { add: { index: to, alias } }];
}

/** Settings during a bulk load (no refreshes, no replicas) and what they go back to afterwards. */
export const LOADING_SETTINGS: estypes.IndicesIndexSettings = {
  refresh_interval: '-1',
  auto_expand_replicas: 'false',
  number_of_replicas: 0,
};
export const SERVING_SETTINGS: estypes.IndicesIndexSettings = {
  refresh_interval: '1s',
  auto_expand_replicas: '0-1',
};

const errorType = (err: unknown) =>
  (err as { meta?: { body?: { error?: { type?: string } } } })?.meta?.body?.error?.type;

export interface ReindexResult extends BulkOutcome {
  index: string;
  previous: string[];
}

export function createIndexManager(deps: {
  client: IndicesClient & BulkClient;
  prefix: string;
  definition: IndexDefinition;
  log?: Logger;
  now?: () => number;
}) {
  const { client, definition, log } = deps;
  const names = indexNames(deps.prefix);
  const now = deps.now ?? Date.now;
  let lastTimestamp = 0;

  /** Strictly increasing, so two versions made within one millisecond still get distinct names. */
  function nextIndexName(): string {
    lastTimestamp = Math.max(now(), lastTimestamp + 1);
    return names.versioned(lastTimestamp);
  }

  /** The concrete indices behind the alias (normally one); empty when the alias does not exist. */
  async function currentIndices(): Promise<string[]> {
    try {
      const response = await client.indices.getAlias({ name: names.alias });
      return Object.keys(response).sort();
    } catch (err) {
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return [];
      throw err;
    }
  }

  async function allVersions(): Promise<string[]> {
    const indices = Object.keys(await client.indices.get({ index: names.pattern, allow_no_indices: true }));
    return indices
      .filter((i) => !Number.isNaN(versionOf(deps.prefix, i)))
      .sort((a, b) => versionOf(deps.prefix, a) - versionOf(deps.prefix, b));
  }

  async function createVersion(options: { withAlias: boolean; settings?: estypes.IndicesIndexSettings }) {
    const index = nextIndexName();
    await client.indices.create({
      index,
      settings: { ...definition.settings, ...options.settings },
      mappings: definition.mappings,
      ...(options.withAlias ? { aliases: { [names.alias]: {} } } : {}),
    });
    return index;
  }

  return {
    names,
    currentIndices,

    /**
     * Creates the first index version with the alias if there is none. Two processes starting together
     * may both create one; the later name then gives way (drops its alias and index), so the alias ends
     * on a single index whichever process looks first.
     */
    async ensureIndex(): Promise<string> {
      const existing = await currentIndices();
      if (existing.length) return existing[0]!;
      let created: string | null = null;
      try {
        created = await createVersion({ withAlias: true });
        log?.info({ index: created, alias: names.alias }, 'search index created');
      } catch (err) {
        if (errorType(err) !== 'resource_already_exists_exception') throw err;
      }
      const indices = await currentIndices();
      const keep = indices[0];
      if (!keep) throw new Error(`search alias ${names.alias} is missing after creating its index`);
      if (created && created !== keep) {
        await client.indices.updateAliases({ actions: [{ remove: { index: created, alias: names.alias } }] });
        await client.indices.delete({ index: created, ignore_unavailable: true });
      }
      return keep;
    },

    /**
     * Zero-downtime rebuild: a new index version is filled from `source` while the alias keeps serving
     * the old one, then the alias moves atomically and the old versions are deleted. If loading fails,
     * the new index is deleted and the alias is left as it was.
     */
    async reindex(
      source: AsyncIterable<SearchDocument> | Iterable<SearchDocument>,
      options: BulkOptions & {
        onProgress?: (done: number) => void;
        /** Called with the new index before loading starts, so live writes can go to both versions. */
        onIndexCreated?: (index: string) => void;
        keepPrevious?: boolean;
      } = {},
    ): Promise<ReindexResult> {
      const index = await createVersion({ withAlias: false, settings: LOADING_SETTINGS });
      options.onIndexCreated?.(index);
      let outcome: BulkOutcome;
      try {
        outcome = await bulkIndexStream(client, index, source, options);
        await client.indices.putSettings({ index, settings: SERVING_SETTINGS });
        await client.indices.refresh({ index });
      } catch (err) {
        await client.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
        throw err;
      }
      const previous = await currentIndices();
      await client.indices.updateAliases({ actions: aliasSwapActions(names.alias, previous, index) });
      log?.info({ index, previous, ...outcome }, 'search alias moved to the new index');
      if (previous.length && !options.keepPrevious)
        await client.indices.delete({ index: previous, ignore_unavailable: true });
      return { index, previous, ...outcome };
    },

    /**
     * Moves the alias back to the newest version older than the one it is on — kept by a reindex with
     * `keepPrevious` — in one `_aliases` request, then deletes the version it left (unless `keepCurrent`).
     * Writes made to the newer version since the swap do not come back with it: the indexer's
     * `catchUp()` re-applies them.
     */
    async rollback(options: { keepCurrent?: boolean } = {}): Promise<{ index: string; previous: string[] }> {
      const current = await currentIndices();
      if (!current.length) throw new Error(`search alias ${names.alias} does not exist`);
      const oldest = Math.min(...current.map((i) => versionOf(deps.prefix, i)));
      const older = (await allVersions())
        .filter((i) => versionOf(deps.prefix, i) < oldest)
        .sort((a, b) => versionOf(deps.prefix, b) - versionOf(deps.prefix, a));
      const target = older[0];
      if (!target)
        throw new Error(`search alias ${names.alias} has no previous index version to roll back to`);
      await client.indices.updateAliases({ actions: aliasSwapActions(names.alias, current, target) });
      log?.warn({ index: target, previous: current }, 'search alias rolled back to the previous index');
      if (!options.keepCurrent) await client.indices.delete({ index: current, ignore_unavailable: true });
      return { index: target, previous: current };
    },

    /** Every version of this alias's index, whether the alias is on it or not. */
    allVersions,

    /** Deletes the alias and every version of its index (tests and tear-down). */
    async dropAll(): Promise<void> {
      // By name: clusters refuse wildcard deletes by default (action.destructive_requires_name).
      const indices = await allVersions();
      if (indices.length) await client.indices.delete({ index: indices, ignore_unavailable: true });
    },
  };
}

export type IndexManager = ReturnType<typeof createIndexManager>;
