/** An error as the elements say it: its message, as text. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
