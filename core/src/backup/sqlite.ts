import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Snapshots of the embedded store's SQLite files, through Debian's `sqlite3` command-line shell.
 *
 * Why the CLI: a consistent copy of a database that another process (FerretDB) keeps writing needs
 * SQLite itself. `VACUUM INTO` reads the whole database inside one read transaction and writes it to a
 * new file: a snapshot as of one instant, taken without stopping the writer (FerretDB runs in WAL mode,
 * so readers and the writer do not block each other) and without restarting like the page-by-page
 * backup API does when the source changes under it. In Node that would take `better-sqlite3` (a native
 * addon that fetches prebuilt binaries at install time, which this project's machines cannot) or
 * `node:sqlite` (Node ≥ 22.5; the project still supports Node 20). The CLI works on every Node version
 * and is one `apt-get install sqlite3` away (`.ci/run` installs it).
 */
export class SqliteCliMissingError extends Error {
  override name = 'SqliteCliMissingError';
  constructor() {
    super(
      'Backups of the embedded store need the sqlite3 command-line shell (3.38 or newer): apt-get install sqlite3',
    );
  }
}

async function sqlite(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('sqlite3', args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SqliteCliMissingError();
    throw err;
  }
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Writes a consistent snapshot of the database `source` to the new file `target`. */
export async function snapshotSqlite(source: string, target: string): Promise<void> {
  // A busy timeout: FerretDB may hold the write lock for a moment; VACUUM INTO only needs to read.
  await sqlite(['-bail', '-cmd', '.timeout 10000', source, `VACUUM INTO ${sqlString(target)}`]);
}

/** Documents per collection of a FerretDB SQLite database (its catalogue maps names to tables). */
export async function countCollections(file: string): Promise<Record<string, number>> {
  const tables = JSON.parse(
    (await sqlite(['-json', '-readonly', file, 'SELECT name, table_name FROM _ferretdb_collections'])) ||
      '[]',
  ) as Array<{ name: string; table_name: string }>;
  if (tables.length === 0) return {};
  const query = tables
    .map(
      (t) =>
        `SELECT ${sqlString(t.name)} AS name, count(*) AS n FROM "${t.table_name.replaceAll('"', '""')}"`,
    )
    .join(' UNION ALL ');
  const rows = JSON.parse(await sqlite(['-json', '-readonly', file, query])) as Array<{
    name: string;
    n: number;
  }>;
  return Object.fromEntries(rows.sort((a, b) => a.name.localeCompare(b.name)).map((r) => [r.name, r.n]));
}
