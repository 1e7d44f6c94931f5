/**
 * Runs every official sample of the standards we speak through its schema and prints the results
 * as a Markdown table (standard, sample, checked against, expected, result). The same catalogue is
 * what test/standards-samples.test.ts asserts; what is deliberately left out is listed there.
 *
 *   npx tsx scripts/standards-samples.ts
 *
 * Exits with 1 when a result differs from what is expected.
 */
import { formatTable, runSample, SAMPLES } from '../test/support/standards-samples.ts';

const results = [];
for (const sample of SAMPLES) results.push(await runSample(sample));
console.log(formatTable(results));
const unexpected = results.filter((r) => r.result !== r.sample.expected);
const valid = results.filter((r) => r.sample.expected === 'valid');
console.log(
  `\n${results.length} checks: ${valid.filter((r) => r.result === 'valid').length} of ${valid.length} expected valid are valid, ` +
    `${results.length - valid.length - unexpected.filter((r) => r.sample.expected === 'invalid').length} of ${results.length - valid.length} expected invalid are invalid.`,
);
if (unexpected.length > 0) process.exitCode = 1;
