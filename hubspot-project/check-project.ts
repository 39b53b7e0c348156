/**
 * Runs HubSpot's own project parser over the project and returns every problem found. The parser
 * is the copy `@hubspot/cli` 8.14.0 resolves (`@hubspot/project-parsing-lib` 0.23.0;
 * project-config.test.ts checks that both are the same file on disk).
 *
 * `hs project validate` does, per profile: load `hsprofile.<name>.json` (accountId required, the
 * account must be in the CLI config, variables checked with `validateProfileVariables`), then
 * `translate` without `skipValidation`, whose last step downloads the component JSON schemas from
 * HubSpot for that account (`project-components-external/project-schemas/v3/<platformVersion>`,
 * project-parsing-lib `src/lib/schemas.js`); before that the CLI exchanges the account's personal
 * access key at `localdevauth/v1/auth/refresh` (cli `commands/project/validate.js`,
 * `lib/projects/projectProfiles.js`). Neither works offline, so this runs the same steps with
 * `skipValidation` (loading, profile variables, duplicate uids, app parent), re-applies the
 * parser's local per-file rules with its exported constants and `validateUid`, and adds our own
 * expectations of each component (hubspot.md §1.4–1.7).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ALLOWED_TOP_LEVEL_FIELDS, Components } from '@hubspot/project-parsing-lib/constants';
import { getAllHsProfiles, getHsProfileFilename, loadHsProfileFile, validateProfileVariables } from '@hubspot/project-parsing-lib/profiles';
import { getProjectMetadata, isKnownPlatformVersion, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { mapToUserFacingType } from '@hubspot/project-parsing-lib/transform';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { nodeRules } from './check-components';

export interface ProjectNode {
  uid: string;
  type: string;
  file: string;
  config: Record<string, unknown>;
}

export interface ProjectCheck {
  problems: string[];
  nodes: ProjectNode[];
}

export async function checkProject(projectDir: string, profile: string): Promise<ProjectCheck> {
  const problems: string[] = [];
  let config;
  try {
    config = parseProjectConfig(projectDir);
  } catch (error) {
    return { problems: [`hsproject.json: ${message(error)}`], nodes: [] };
  }
  if (!isKnownPlatformVersion(config.platformVersion)) problems.push(`hsproject.json: unknown platformVersion ${config.platformVersion}`);
  const srcDir = path.join(projectDir, config.srcDir);

  problems.push(...profileRules(srcDir, profile));

  const metadata = await getProjectMetadata(srcDir);
  for (const [type, c] of Object.entries(metadata.components)) if (c.count > c.maxCount) problems.push(`${type}: only ${c.maxCount} allowed, found ${c.count}`);

  let result;
  try {
    result = await translate({ projectSourceDir: srcDir, platformVersion: config.platformVersion }, { profile, skipValidation: true });
  } catch (error) {
    return { problems: [...problems, `parser: ${message(error)}`], nodes: [] };
  }
  for (const skipped of result.skippedHsMetaFiles) problems.push(`${skipped}: not in a component folder, HubSpot ignores it`);

  const nodes: ProjectNode[] = Object.values(result.intermediateRepresentation.intermediateNodesIndexedByUid).map((n) => ({
    uid: n.uid,
    type: mapToUserFacingType(n.componentType),
    file: n.metaFilePath,
    config: (n.config ?? {}) as Record<string, unknown>,
  }));
  const parsedFiles = new Set(nodes.map((n) => n.file));
  for (const file of metadata.hsMetaFiles.map((f) => path.relative(srcDir, f))) {
    if (!parsedFiles.has(file)) problems.push(`${file}: the parser produced no component (invalid JSON or no content)`);
    else problems.push(...fileRules(srcDir, file));
  }
  if (!nodes.some((n) => n.type === 'app')) problems.push('no app component (app/app-hsmeta.json)');
  for (const node of nodes) problems.push(...nodeRules(srcDir, node));
  return { problems, nodes };
}

/** The names of the project's profiles (`hsprofile.<name>.json` in the source folder), as the CLI lists them. */
export async function profileNames(projectDir: string): Promise<string[]> {
  const config = parseProjectConfig(projectDir);
  return getAllHsProfiles(path.join(projectDir, config.srcDir));
}

/** The CLI's profile checks that need no account (cli `lib/projects/projectProfiles.js` `loadProfile`). */
function profileRules(srcDir: string, profile: string): string[] {
  const file = getHsProfileFilename(profile);
  let loaded;
  try {
    loaded = loadHsProfileFile(srcDir, profile);
  } catch (error) {
    return [`${file}: ${message(error)}`];
  }
  if (!loaded) return [`${file}: profile not found`];
  const problems: string[] = [];
  if (!loaded.accountId) problems.push(`${file}: accountId missing`);
  const variables = validateProfileVariables(loaded.variables ?? {}, file);
  if (!variables.success) problems.push(...variables.errors.map((e) => `${file}: ${e}`));
  return problems;
}

/** The parser's local checks from validateIntermediateRepresentationNode, applied to one file. */
function fileRules(srcDir: string, file: string): string[] {
  const raw = JSON.parse(fs.readFileSync(path.join(srcDir, file), 'utf8')) as Record<string, unknown>;
  const problems: string[] = [];
  const allowed: ReadonlySet<string> = ALLOWED_TOP_LEVEL_FIELDS;
  const extra = Object.keys(raw).filter((k) => !allowed.has(k));
  if (extra.length) problems.push(`${file}: unexpected top-level fields ${extra.join(', ')}`);
  const uidProblem = validateUid(String(raw.uid ?? ''));
  if (uidProblem) problems.push(`${file}: ${uidProblem}`);
  if (!raw.config) problems.push(`${file}: missing config`);
  const component = (Components as Record<string, { dir: string; parentComponent?: string } | undefined>)[String(raw.type)];
  if (!component) return [...problems, `${file}: unknown type ${String(raw.type)}`];
  const expectedDir = component.parentComponent
    ? path.join(Components[component.parentComponent as keyof typeof Components].dir, component.dir)
    : component.dir;
  if (path.dirname(file) !== expectedDir) problems.push(`${file}: a ${String(raw.type)} belongs in ${expectedDir}/`);
  return problems;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
