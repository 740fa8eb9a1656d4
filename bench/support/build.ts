import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ROOT } from './processes';

/**
 * Compiles the gateway (src/, migrations/) and the bench's own processes (bench/) to plain
 * JavaScript in `outDir`, file by file (TypeScript's `transpileModule`, as `nest build` would emit
 * them, without type checking), so every measured process runs compiled code the way production
 * runs `node dist/src/main.js`:
 * - no TypeScript compiler in the process (it would add tens of MB to the RSS being measured);
 * - no ts-node, whose `register` loads Node's REPL and with it `node:domain`, which then puts a
 *   domain check on every EventEmitter for the life of the process.
 * Modules resolve from the repository's node_modules through NODE_PATH.
 */
export function buildTree(outDir: string): { files: number; ms: number } {
  const started = Date.now();
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    noEmit: false,
  };
  let files = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'results') walk(rel);
        continue;
      }
      if (
        !entry.name.endsWith('.ts') ||
        entry.name.endsWith('.d.ts') ||
        entry.name.endsWith('.spec.ts')
      )
        continue;
      const source = fs.readFileSync(path.join(ROOT, rel), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions,
        fileName: path.join(ROOT, rel),
      });
      const target = path.join(outDir, rel.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, outputText);
      files++;
    }
  };
  for (const dir of ['src', 'migrations', 'bench']) walk(dir);
  return { files, ms: Date.now() - started };
}
