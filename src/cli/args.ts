/** A small, strict argument parser: unknown flags are errors, so typos never pass silently. */
export interface FlagSpec {
  /** Flags that take a value, with the allowed values (empty array = any value). */
  valued: Record<string, readonly string[]>;
  /** Flags that are switches. */
  switches: readonly string[];
}

export interface ParsedArgs {
  values: Record<string, string>;
  switches: Set<string>;
  positional: string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (spec.switches.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    const allowed = spec.valued[name];
    if (!allowed) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    if (allowed.length > 0 && !allowed.includes(value)) {
      throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    }
    values[name] = value;
  }
  return { values, switches, positional };
}
