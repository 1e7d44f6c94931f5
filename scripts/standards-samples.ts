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
console.log('\n| standard | expected valid: valid | expected invalid: invalid |\n|---|---|---|');
for (const standard of new Set(results.map((r) => r.sample.standard))) {
  const mine = results.filter((r) => r.sample.standard === standard);
  const tally = (v: 'valid' | 'invalid') => {
    const expected = mine.filter((r) => r.sample.expected === v);
    return `${expected.filter((r) => r.result === v).length} of ${expected.length}`;
  };
  console.log(`| ${standard} | ${tally('valid')} | ${tally('invalid')} |`);
}
console.log(`\n${results.length} checks, ${unexpected.length} unexpected.`);
if (unexpected.length > 0) process.exitCode = 1;
