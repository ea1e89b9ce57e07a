export { ALL_EMULATORS, type FaultPlan, faultsFor, parseFaultSpec } from './fault-spec.js';
export { mixSeed, mulberry32, rngAt } from './random.js';
export { type RunningEmulator, type StartEmulatorOptions, startEmulator } from './server.js';
export type * from './types.js';
