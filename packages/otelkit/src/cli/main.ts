/**
 * The `otelkit` command: one subcommand per job, each loaded only when asked
 * for, so `otelkit rules` never loads the profiler's load generator.
 * @module
 */

/** A subcommand: takes the arguments after its name, resolves to the exit code. */
export type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  rules: {
    summary: 'generate Prometheus recording and alerting rules from an SLO file',
    load: async () => (await import('./rules.ts')).runRules,
  },
  profile: {
    summary: 'profile a service under load and report what its telemetry costs',
    load: async () => (await import('./profile.ts')).runProfile,
  },
};

const usage = `Usage: otelkit <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`)
  .join('\n')}

Run "otelkit <command> --help" for a command's options.`;

/** Runs the command line `args` (without `node` and the script); resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`otelkit: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (error) {
    console.error(`otelkit ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
