import type { Logger, LogLevel } from '@flagkit/core';

/** A logger that keeps every line, for asserting what was logged. */
export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];

  isEnabled(): boolean {
    return true;
  }

  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }

  /** Lines at `level` whose message contains `text`. */
  matching(level: LogLevel, text: string): string[] {
    return this.lines.filter((l) => l.level === level && l.message.includes(text)).map((l) => l.message);
  }
}
