/** A mistake in how the command was called: printed without a stack trace. */
export class UsageError extends Error {}
