// @ts-check
/**
 * no-import-cycle: no file may reach itself again through its imports, and every import counts,
 * `import type` and `export type … from` included. import-x/no-cycle (also enabled) skips
 * type-only imports and has no option not to, so a cycle held up by a type import would pass it.
 *
 * The linted file's imports come from its AST; every other file's from `ts.preProcessFile` (a
 * scan, not a parse), cached by path and mtime. Imports that resolve into node_modules are external
 * and not followed.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** @typedef {{ resolve(source: string, file: string): { found: boolean; path?: string | null } }} Resolver */

const FOLLOWED = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs']);

/** @type {Map<string, { mtimeMs: number; specifiers: string[] }>} */
const scanned = new Map();

/** The import specifiers of a file on disk, or none when it cannot be read. */
function specifiersOf(/** @type {string} */ file) {
  let mtimeMs;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = scanned.get(file);
  if (hit !== undefined && hit.mtimeMs === mtimeMs) return hit.specifiers;
  const specifiers = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
  scanned.set(file, { mtimeMs, specifiers });
  return specifiers;
}

/** The file an import resolves to, or undefined when it is external or not found. */
function resolved(/** @type {Resolver} */ resolver, /** @type {string} */ source, /** @type {string} */ from) {
  const r = resolver.resolve(source, from);
  if (!r.found || !r.path) return undefined;
  if (r.path.split(path.sep).includes('node_modules') || !FOLLOWED.has(path.extname(r.path))) return undefined;
  return r.path;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles, counting type-only imports.' },
    schema: [],
    messages: { cycle: 'Import cycle (type-only imports count): {{route}}' },
  },
  create(context) {
    const self = context.physicalFilename;
    /** @type {Resolver | undefined} */
    const resolver = context.settings['local/resolver'];
    if (resolver === undefined) throw new Error('no-import-cycle needs settings["local/resolver"]');
    const root = context.cwd;
    const shown = (/** @type {string} */ f) => path.relative(root, f);
    /** Files already known not to lead back to this one. */
    const deadEnds = new Set();

    /** The route from `start` back to this file, or undefined when there is none. */
    function routeBack(/** @type {string} */ start) {
      if (start === self || deadEnds.has(start)) return undefined;
      /** @type {Map<string, string | null>} */
      const cameFrom = new Map([[start, null]]);
      const queue = [start];
      for (let i = 0; i < queue.length; i++) {
        const file = /** @type {string} */ (queue[i]);
        for (const source of specifiersOf(file)) {
          const next = resolved(resolver, source, file);
          if (next === undefined || cameFrom.has(next) || deadEnds.has(next)) continue;
          cameFrom.set(next, file);
          if (next === self) {
            const route = [];
            for (let at = /** @type {string | null | undefined} */ (next); at != null; at = cameFrom.get(at)) route.unshift(at);
            return route;
          }
          queue.push(next);
        }
      }
      for (const file of queue) deadEnds.add(file);
      return undefined;
    }

    function check(/** @type {import('estree').Node} */ node, /** @type {unknown} */ source) {
      if (typeof source !== 'string') return;
      const target = resolved(resolver, source, self);
      if (target === undefined) return;
      const route = routeBack(target);
      if (route === undefined) return;
      context.report({ node, messageId: 'cycle', data: { route: [self, ...route].map(shown).join(' -> ') } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      /** `type T = import('./x.ts').T` */
      TSImportType(/** @type {any} */ node) {
        check(node, node.argument?.literal?.value ?? node.source?.value);
      },
    };
  },
};

export default { meta: { name: 'local' }, rules: { 'no-import-cycle': noImportCycle } };
