/**
 * `npm run hs:validate [-- <profile>]`: the part of `hs project validate` that runs without a
 * HubSpot account, for every profile (or the one named), with the parser copy the pinned CLI uses.
 * What it cannot do offline (HubSpot's per-account component schemas) is said in
 * hubspot-project/check-project.ts; `npm run hs:validate:account -- <profile>` runs the CLI's own
 * command against the profile's account for that last step.
 */
import path from 'node:path';
import { checkProject, profileNames } from '../hubspot-project/check-project';

const projectDir = path.resolve(import.meta.dirname, '..');

async function main(): Promise<number> {
  const requested = process.argv[2];
  const all = await profileNames(projectDir);
  const profiles = requested ? [requested] : all;
  if (profiles.length === 0) {
    process.stderr.write('no hsprofile.<name>.json in the project source folder\n');
    return 1;
  }
  let failed = false;
  for (const profile of profiles) {
    const { problems, nodes } = await checkProject(projectDir, profile);
    if (problems.length) {
      failed = true;
      process.stderr.write(`profile ${profile}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    } else {
      process.stdout.write(`profile ${profile}: ${nodes.length} components parse and pass the local rules\n`);
    }
  }
  process.stdout.write("not checked offline: HubSpot's per-account component schemas (npm run hs:validate:account -- <profile>)\n");
  return failed ? 1 : 0;
}

process.exitCode = await main();
