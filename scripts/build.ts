/**
 * `npm run build`: compiles the server to JavaScript in `dist/` for `npm run start:prod` (plain
 * `node`, no tsx). The source imports without file extensions (moduleResolution "Bundler"), which
 * Node's ESM loader does not resolve, so the emit rewrites each relative specifier to the file it
 * names (`./config` → `./config.js`, `./db/schema` → `./db/schema/index.js`) and gives JSON imports
 * the `with { type: 'json' }` attribute Node requires
 * (https://nodejs.org/docs/latest-v20.x/api/esm.html#import-attributes). Files the server reads at
 * run time relative to its own folder (the drizzle migrations, the HubSpot app config the sandbox
 * reads) are copied to the same place relative to `dist/`.
 *   --out DIR      output folder (default dist)
 *   --skip-check   emit without the full type check (`npm run typecheck` does it; the build test uses this)
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';

/**
 * The V8 heap flags `npm run start:prod` passes (package.json; the build test keeps the two equal). The
 * live heap during an initial sync is small (48 MiB after 3,000 contacts, 87 MiB at the peak of a
 * 10,000-contact plan, emulators included), but without a budget V8 grows its heap lazily to several
 * times that before it collects: 330 MiB RSS against 174 MiB with these flags, measured on a
 * 3,000-contact sync with the emulators in the same process (bench/tmp probe, 2026-12-02). A small young
 * generation (4 MiB semi-spaces) and a 256 MiB old generation keep RSS near the live set; a host that
 * runs many portals' work at once gives the process more with a larger `--max-old-space-size`.
 */
export const productionNodeFlags = ['--max-semi-space-size=4', '--max-old-space-size=256'];

/** Read at run time via `import.meta.dirname` (db/client.ts, sandboxes/hubspot/webhook-events.ts, app-config.ts). */
export const runtimeFiles = ['drizzle', 'hubspot-project/app/app-hsmeta.json', 'hubspot-project/app/webhooks/webhooks-hsmeta.json'];

export function build(
  root: string,
  outDir: string,
  options: { typeCheck?: boolean; /** More folders to emit (the bench's child scripts). */ extraFolders?: string[] } = {},
): void {
  const configPath = join(root, 'tsconfig.build.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(formatDiagnostics([read.error]));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, { outDir }, configPath);
  if (parsed.errors.length > 0) throw new Error(formatDiagnostics(parsed.errors));
  if (options.typeCheck !== false) {
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } }));
    if (diagnostics.length > 0) throw new Error(formatDiagnostics(diagnostics));
  }
  rmSync(outDir, { recursive: true, force: true });
  // Each file on its own (tsconfig.json sets isolatedModules, so this is what a whole-program emit gives), which
  // keeps the build fast; JSON the code imports is copied beside it.
  const json = new Set<string>();
  const extra = (options.extraFolders ?? []).flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(root, folder, f)),
  );
  for (const file of [...parsed.fileNames, ...extra]) {
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    const result = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: parsed.options,
      reportDiagnostics: true,
      transformers: { after: [rewriteSpecifiers(json)] },
    });
    if (result.diagnostics?.length) throw new Error(formatDiagnostics(result.diagnostics));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, result.outputText);
    if (result.sourceMapText) {
      const map = JSON.parse(result.sourceMapText) as { sources: string[] };
      map.sources = [relative(dirname(target), file)];
      writeFileSync(`${target}.map`, JSON.stringify(map));
    }
  }
  for (const file of json) copyInto(root, outDir, relative(root, file));
  // The folder runs on its own (next to a node_modules): its .js files are ES modules.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  for (const file of runtimeFiles) copyInto(root, outDir, file);
}

function copyInto(root: string, outDir: string, file: string): void {
  const target = join(outDir, file);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, file), target, { recursive: true });
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' });
}

/** The specifier Node's ESM loader needs for a relative import written without an extension. */
function nodeSpecifier(fromFile: string, specifier: string): { specifier: string; json?: string } {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return { specifier };
  const base = resolve(dirname(fromFile), specifier);
  if (specifier.endsWith('.json')) {
    if (!existsSync(base)) throw new Error(`${fromFile}: the imported '${specifier}' does not exist`);
    return { specifier, json: base };
  }
  if (existsSync(`${base}.ts`)) return { specifier: `${specifier}.js` };
  if (existsSync(base) && statSync(base).isDirectory() && existsSync(join(base, 'index.ts'))) return { specifier: `${specifier}/index.js` };
  throw new Error(`${fromFile}: cannot resolve the import '${specifier}' to a .ts file or a folder with index.ts`);
}

const jsonAttributes = () =>
  ts.factory.createImportAttributes(
    ts.factory.createNodeArray([ts.factory.createImportAttribute(ts.factory.createIdentifier('type'), ts.factory.createStringLiteral('json'))]),
  );

const rewriteSpecifiers =
  (json: Set<string>): ts.TransformerFactory<ts.SourceFile> =>
  (context) =>
  (sourceFile) => {
    const rewrite = (text: string) => {
      const target = nodeSpecifier(sourceFile.fileName, text);
      if (target.json) json.add(target.json);
      return target;
    };
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = rewrite(node.moduleSpecifier.text);
        return ts.factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          ts.factory.createStringLiteral(target.specifier),
          target.json ? jsonAttributes() : node.attributes,
        );
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = rewrite(node.moduleSpecifier.text);
        return ts.factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          ts.factory.createStringLiteral(target.specifier),
          target.json ? jsonAttributes() : node.attributes,
        );
      }
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments.length === 1 &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        const target = rewrite(node.arguments[0].text);
        if (target.json) throw new Error(`${sourceFile.fileName}: a dynamic JSON import needs its attribute written in the source`);
        return ts.factory.updateCallExpression(node, node.expression, node.typeArguments, [ts.factory.createStringLiteral(target.specifier)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit) as ts.SourceFile;
  };

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' }, 'skip-check': { type: 'boolean', default: false } } });
  const root = resolve(import.meta.dirname, '..');
  const started = performance.now();
  build(root, resolve(root, values.out), { typeCheck: !values['skip-check'] });
  process.stdout.write(`built ${values.out}/ in ${((performance.now() - started) / 1000).toFixed(1)} s: npm run start:prod\n`);
}
