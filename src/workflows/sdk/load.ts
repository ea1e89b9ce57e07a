import { existsSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArxError, UsageError } from '../../core/errors.js';
import { isWorkflow, type Workflow } from './define.js';

/** What a workflow folder may hold, in the order they are looked for. */
export const WORKFLOW_FILES = ['workflow.ts', 'workflow.mts', 'workflow.js', 'workflow.mjs'] as const;
const TYPESCRIPT = new Set(['.ts', '.mts']);
const LOADABLE = new Set(['.ts', '.mts', '.js', '.mjs']);

/**
 * Loads a user's workflow: a folder holding `workflow.ts` (or `.js`) whose default export is a
 * `defineWorkflow(...)`, or that file itself. TypeScript is compiled on the fly with tsx's programmatic
 * loader, so `arx run ./my-workflow` needs no build step. Every way this can go wrong is reported with the
 * path and the fix.
 *
 * @example
 * const workflow = await loadWorkflowFromPath('./workflows/stale-ticket-sweep');
 */
export async function loadWorkflowFromPath(path: string, cwd: string = process.cwd()): Promise<Workflow> {
  const file = locateWorkflowFile(path, cwd);
  const shown = relative(cwd, file) || basename(file);
  const module = await importFile(file, shown);
  const exported = defaultExport(module as Record<string, unknown>);
  if (exported === undefined) {
    throw new UsageError(`${shown} has no default export`, {
      hint: 'end the file with: export default defineWorkflow({ name, description, connectors, run })',
    });
  }
  if (!isWorkflow(exported)) {
    throw new UsageError(`the default export of ${shown} is not a workflow`, {
      hint: 'wrap the definition in defineWorkflow({ ... }) from the Arx workflow SDK',
    });
  }
  return exported;
}

/**
 * The file a path names: the folder's workflow.ts/js, or a .ts/.js file given directly.
 * @example locateWorkflowFile('./my-workflow') // '/home/me/my-workflow/workflow.ts'
 */
export function locateWorkflowFile(path: string, cwd: string = process.cwd()): string {
  const target = resolve(cwd, path);
  if (!existsSync(target)) {
    throw new UsageError(`no workflow at ${path}: that path does not exist`, {
      hint: 'pass a folder holding workflow.ts (or workflow.js), or the name of a built-in workflow',
    });
  }
  if (statSync(target).isFile()) {
    if (!LOADABLE.has(extname(target))) {
      throw new UsageError(`${path} is not a workflow file`, {
        hint: `a workflow is a ${[...LOADABLE].join(', ')} file, or a folder holding workflow.ts`,
      });
    }
    return target;
  }
  const found = WORKFLOW_FILES.map((name) => join(target, name)).find((file) => existsSync(file));
  if (!found) {
    throw new UsageError(`the folder ${path} holds no workflow`, {
      hint: `expected one of ${WORKFLOW_FILES.join(', ')} in it, exporting defineWorkflow({ ... }) as default`,
    });
  }
  return found;
}

/**
 * The module's default export. A folder without `"type": "module"` is loaded as CommonJS, where `default` is
 * the whole `module.exports`: a compiled `export default` is then under `default.default`, and an object that
 * only mirrors the named exports means there was no default export at all.
 */
function defaultExport(namespace: Record<string, unknown>): unknown {
  const value = namespace.default;
  if (typeof value !== 'object' || value === null || isWorkflow(value)) return value;
  const record = value as Record<string, unknown>;
  if ('default' in record) return record.default;
  const keys = Object.keys(record);
  const mirrorsNamedExports = keys.length > 0 && keys.every((key) => namespace[key] === record[key]);
  return mirrorsNamedExports ? undefined : value;
}

async function importFile(file: string, shown: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    if (!TYPESCRIPT.has(extname(file))) return await import(url);
    const { tsImport } = await loadTsx();
    return await tsImport(url, import.meta.url);
  } catch (err) {
    if (err instanceof ArxError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ArxError('workflow_load_failed', `could not load ${shown}: ${firstLine(message)}`, {
      fault: 'caller',
      cause: err,
      hint: 'fix the error above in the workflow file (run with ARX_DEBUG=1 for the stack)',
    });
  }
}

async function loadTsx(): Promise<typeof import('tsx/esm/api')> {
  try {
    return await import('tsx/esm/api');
  } catch (err) {
    throw new ArxError('tsx_missing', 'loading a TypeScript workflow needs the tsx package', {
      fault: 'caller',
      cause: err,
      hint: 'install it next to Arx (npm i tsx), or compile the workflow to workflow.js',
    });
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
