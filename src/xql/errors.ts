import type { XqlError } from './plan';

/** Thrown inside the compiler only; compileXql turns it into a CompileResult error. */
export class XqlCompileError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    this.name = 'XqlCompileError';
    this.line = line;
    this.column = column;
  }

  toXqlError(): XqlError {
    return { message: this.message, line: this.line, column: this.column };
  }
}

export function failAt(message: string, at: { line: number; column: number }): never {
  throw new XqlCompileError(message, at.line, at.column);
}
