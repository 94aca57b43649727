/** Reads a required environment variable, throwing a clear error when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is required`);
  return value;
}

/** Reads an optional environment variable (empty counts as unset). */
export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads an optional environment variable that must be one of a closed list
 * (compared in lower case); throws naming the list when it is anything else.
 */
export function optionalEnvOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
  const value = optionalEnv(name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(
      `Environment variable ${name} is "${optionalEnv(name)}", which is not one of: ${allowed.join(', ')}`,
    );
  }
  return value as T;
}
