// Base class of every error vigil raises on purpose: a stable `code` for
// programs and tests, a message that names the thing and the bad value.
export class VigilError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

// Wrong command-line usage: exit 2 like most CLIs (and supervisorctl's usage errors).
export class UsageError extends VigilError {
  constructor(message: string) {
    super('EUSAGE', message);
  }
}

// Returns the errno name (`ENOENT`) of a Node system error, or undefined.
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
