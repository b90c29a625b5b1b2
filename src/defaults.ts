// The send defaults, at the root so the CLI can show them in --help without loading the use cases
// that apply them (src/usecases/common.ts re-exports them).
export const SEND_DEFAULTS = { batchSize: 100, concurrency: 4, rate: 50 } as const;
