/** Process exit codes: 0 ok, 1 the work failed, 2 the user asked wrongly (usage or configuration). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
