/**
 * `otelkit rules <slo-file>`: writes the Prometheus recording and alerting
 * rules of an SLO file.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_LINK_TEMPLATE, prometheusRules } from '../alerts/prometheus-rules.ts';
import { isSloFileError } from '../alerts/slo-file-error.ts';
import { parseSloFile } from '../alerts/validate-slo-file.ts';

const usage = `Usage: otelkit rules <slo-file> [options]

Writes Prometheus recording and alerting rules for the SLOs of <slo-file> (JSON):
multi-window, multi-burn-rate alerts per objective and alerts on otelkit.errors.

Options:
  --out <file>            write the rules there instead of to standard output
  --job <name>            the job label of the service in Prometheus (default: the file's service)
  --link-template <url>   each alert's link; {service}, {job} and {route} are replaced
                          (default: ${DEFAULT_LINK_TEMPLATE})
  --time-scale <n>        divide every window and 'for' by n: for tests only
  -h, --help              show this help

Check the result with: promtool check rules <file>`;

/** Runs `otelkit rules` with the arguments after `rules`; resolves to the exit code. */
export async function runRules(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    console.error(`otelkit rules: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`otelkit rules: expected one SLO file, got ${positionals.length}\n\n${usage}`);
    return 2;
  }
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale >= 1)) {
    console.error(
      `otelkit rules: --time-scale ${values['time-scale']}: expected a number, 1 or more`,
    );
    return 2;
  }
  const file = positionals[0]!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`otelkit rules: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  let rules: string;
  try {
    rules = prometheusRules(parseSloFile(text), {
      ...(values.job === undefined ? {} : { job: values.job }),
      ...(timeScale === undefined ? {} : { timeScale }),
      ...(values['link-template'] === undefined ? {} : { linkTemplate: values['link-template'] }),
    });
  } catch (error) {
    if (!isSloFileError(error) && !(error instanceof RangeError)) throw error;
    console.error(`otelkit rules: ${isSloFileError(error) ? `${file}: ` : ''}${error.message}`);
    return 1;
  }
  if (values.out === undefined) {
    process.stdout.write(rules);
  } else {
    await writeFile(values.out, rules);
    console.error(`otelkit rules: wrote ${values.out}`);
  }
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      job: { type: 'string' },
      'link-template': { type: 'string' },
      'time-scale': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
