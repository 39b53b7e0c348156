/** One vendor's initial-sync benchmark in its own process (its own RSS); prints the result as JSON. */
import { parseArgs } from 'node:util';
import type { ProviderId } from '../../server/src/accounting/provider';
import { benchSync } from './sync';

const { values } = parseArgs({ options: { provider: { type: 'string' }, contacts: { type: 'string' }, 'time-scale': { type: 'string' } } });
const result = await benchSync(values.provider as ProviderId, Number(values.contacts), Number(values['time-scale']));
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
