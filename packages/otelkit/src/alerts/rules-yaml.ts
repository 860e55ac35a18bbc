import type { RuleGroup } from './rule-group.ts';

/** A YAML scalar that needs no quotes: no indicator first, nothing YAML reads as another type. */
const PLAIN = /^(?:[A-Za-z_/][A-Za-z0-9_ ./:-]*|\d+(?:ms|[smhdwy]))$/;
const NOT_A_STRING = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/** The Prometheus rule file of `groups`, as YAML. */
export function rulesYaml(groups: readonly RuleGroup[], header: string): string {
  const lines = header.split('\n').map((line) => `# ${line}`.trimEnd());
  lines.push('groups:');
  for (const group of groups) {
    lines.push(`  - name: ${scalar(group.name)}`, '    rules:');
    for (const rule of group.rules) {
      let first = true;
      for (const [key, value] of Object.entries(rule)) {
        if (value === undefined) continue;
        const prefix = first ? '      - ' : '        ';
        first = false;
        if (typeof value === 'object') {
          lines.push(`${prefix}${key}:`);
          for (const [name, text] of Object.entries(value as Record<string, string>)) {
            lines.push(...entry(`          ${name}: `, text, '            '));
          }
        } else {
          lines.push(...entry(`${prefix}${key}: `, String(value), '          '));
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `key: value`, with a multi-line value as a literal block indented under the key. */
function entry(start: string, value: string, indent: string): string[] {
  if (!value.includes('\n')) return [`${start}${scalar(value)}`];
  return [`${start}|-`, ...value.split('\n').map((line) => `${indent}${line}`.trimEnd())];
}

/**
 * Plain when safe, else quoted as YAML formatters (Biome) write it: single
 * quotes when the value holds a double quote, double quotes otherwise.
 */
function scalar(value: string): string {
  const plain = PLAIN.test(value) && !NOT_A_STRING.test(value);
  if (plain && !value.includes(': ') && !value.endsWith(' ') && !value.endsWith(':')) return value;
  if (value.includes('"') && !/\p{Cc}/u.test(value)) return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}
